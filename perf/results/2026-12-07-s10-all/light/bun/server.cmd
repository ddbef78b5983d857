/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36867 --feed-port 50752 --bind 127.0.0.1
