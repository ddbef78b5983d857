/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35563 --feed-port 35961 --bind 127.0.0.1
