/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36295 --feed-port 52885 --bind 127.0.0.1
