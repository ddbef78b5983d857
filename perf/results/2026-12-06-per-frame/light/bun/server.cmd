/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34751 --feed-port 49713 --bind 127.0.0.1
