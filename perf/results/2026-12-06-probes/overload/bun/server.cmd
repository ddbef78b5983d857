/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44849 --feed-port 52155 --bind 127.0.0.1
