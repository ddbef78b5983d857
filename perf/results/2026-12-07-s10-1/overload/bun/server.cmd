/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 41751 --feed-port 42823 --bind 127.0.0.1
