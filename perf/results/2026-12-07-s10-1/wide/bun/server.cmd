/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39901 --feed-port 59094 --bind 127.0.0.1
