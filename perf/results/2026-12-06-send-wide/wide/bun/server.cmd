/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33333 --feed-port 32946 --bind 127.0.0.1
