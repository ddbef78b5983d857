/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 38673 --feed-port 35309 --bind 127.0.0.1
