/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44921 --feed-port 51096 --bind 127.0.0.1
