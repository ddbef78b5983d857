/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37947 --feed-port 36606 --bind 127.0.0.1
