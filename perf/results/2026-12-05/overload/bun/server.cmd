/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39475 --feed-port 52752 --bind 127.0.0.1
