/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35155 --feed-port 50069 --bind 127.0.0.1
