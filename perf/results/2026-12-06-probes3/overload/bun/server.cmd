/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 42953 --feed-port 59657 --bind 127.0.0.1
