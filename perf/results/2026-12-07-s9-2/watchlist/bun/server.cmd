/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44213 --feed-port 32829 --bind 127.0.0.1
