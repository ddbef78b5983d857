/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44403 --feed-port 59942 --bind 127.0.0.1
