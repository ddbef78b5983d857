/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34119 --feed-port 56958 --bind 127.0.0.1
