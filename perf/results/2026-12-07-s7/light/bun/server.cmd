/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 39745 --feed-port 50820 --bind 127.0.0.1
