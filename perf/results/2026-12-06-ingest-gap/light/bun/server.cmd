/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33083 --feed-port 49777 --bind 127.0.0.1
