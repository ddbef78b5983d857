/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46519 --feed-port 41192 --bind 127.0.0.1
