/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34997 --feed-port 52531 --bind 127.0.0.1
