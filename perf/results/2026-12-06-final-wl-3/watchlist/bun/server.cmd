/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44161 --feed-port 37437 --bind 127.0.0.1
