/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37225 --feed-port 48074 --bind 127.0.0.1
