/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 41151 --feed-port 34352 --bind 127.0.0.1
