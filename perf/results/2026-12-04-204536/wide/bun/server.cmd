/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46585 --feed-port 32835 --bind 127.0.0.1
