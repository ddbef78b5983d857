/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 44971 --feed-port 39655 --bind 127.0.0.1
