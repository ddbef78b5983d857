/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 33733 --feed-port 58834 --bind 127.0.0.1
