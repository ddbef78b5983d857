/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39771 --feed-port 39572 --bind 127.0.0.1
