/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43925 --feed-port 51448 --bind 127.0.0.1
