/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39875 --feed-port 45530 --bind 127.0.0.1
