/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 34141 --feed-port 57280 --bind 127.0.0.1
