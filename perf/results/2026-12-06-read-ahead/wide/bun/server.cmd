/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33111 --feed-port 34699 --bind 127.0.0.1
