/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34801 --feed-port 44054 --bind 127.0.0.1
