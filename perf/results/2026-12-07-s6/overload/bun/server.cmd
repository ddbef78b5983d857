/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 38239 --feed-port 50366 --bind 127.0.0.1
