/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36075 --feed-port 57543 --bind 127.0.0.1
