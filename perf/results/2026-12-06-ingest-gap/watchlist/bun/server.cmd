/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34083 --feed-port 49013 --bind 127.0.0.1
