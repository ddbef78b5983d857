/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36291 --feed-port 47290 --bind 127.0.0.1
