/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44821 --feed-port 49154 --bind 127.0.0.1
