/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39389 --feed-port 38116 --bind 127.0.0.1
