/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44661 --feed-port 57478 --bind 127.0.0.1
