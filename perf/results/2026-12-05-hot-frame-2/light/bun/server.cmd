/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39129 --feed-port 45329 --bind 127.0.0.1
