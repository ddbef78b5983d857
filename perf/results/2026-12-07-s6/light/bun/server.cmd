/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 45129 --feed-port 49243 --bind 127.0.0.1
