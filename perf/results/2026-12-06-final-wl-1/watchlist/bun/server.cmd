/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40933 --feed-port 57885 --bind 127.0.0.1
