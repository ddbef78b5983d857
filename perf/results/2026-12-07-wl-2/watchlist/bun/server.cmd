/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 38303 --feed-port 57053 --bind 127.0.0.1
