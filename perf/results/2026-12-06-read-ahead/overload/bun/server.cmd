/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39213 --feed-port 34492 --bind 127.0.0.1
