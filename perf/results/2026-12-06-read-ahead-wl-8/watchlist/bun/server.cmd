/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39127 --feed-port 58413 --bind 127.0.0.1
