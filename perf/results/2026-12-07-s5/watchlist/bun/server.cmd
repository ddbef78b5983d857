/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46551 --feed-port 34885 --bind 127.0.0.1
