/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37597 --feed-port 47693 --bind 127.0.0.1
