/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39017 --feed-port 43428 --bind 127.0.0.1
