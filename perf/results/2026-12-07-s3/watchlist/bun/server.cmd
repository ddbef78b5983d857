/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33403 --feed-port 44362 --bind 127.0.0.1
