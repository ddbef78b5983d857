/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45187 --feed-port 43625 --bind 127.0.0.1
