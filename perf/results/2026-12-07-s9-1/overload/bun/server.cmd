/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39743 --feed-port 38751 --bind 127.0.0.1
