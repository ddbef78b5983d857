/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 38259 --feed-port 38935 --bind 127.0.0.1
