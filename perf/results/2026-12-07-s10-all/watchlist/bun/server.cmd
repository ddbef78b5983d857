/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35847 --feed-port 49460 --bind 127.0.0.1
