/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33287 --feed-port 44333 --bind 127.0.0.1
