/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 38817 --feed-port 45395 --bind 127.0.0.1
