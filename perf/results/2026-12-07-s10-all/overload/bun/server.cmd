/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45899 --feed-port 42473 --bind 127.0.0.1
