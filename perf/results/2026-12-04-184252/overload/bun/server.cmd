/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37249 --feed-port 38769 --bind 127.0.0.1
