/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37497 --feed-port 50984 --bind 127.0.0.1
