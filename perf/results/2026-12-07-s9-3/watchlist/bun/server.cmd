/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46165 --feed-port 38861 --bind 127.0.0.1
