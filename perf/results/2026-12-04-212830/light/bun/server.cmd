/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34139 --feed-port 37236 --bind 127.0.0.1
