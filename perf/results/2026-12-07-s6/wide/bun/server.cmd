/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 40985 --feed-port 57635 --bind 127.0.0.1
