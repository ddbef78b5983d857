/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33651 --feed-port 50368 --bind 127.0.0.1
