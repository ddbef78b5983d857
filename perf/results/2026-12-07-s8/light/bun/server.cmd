/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 38725 --feed-port 42346 --bind 127.0.0.1
