/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36835 --feed-port 60850 --bind 127.0.0.1
