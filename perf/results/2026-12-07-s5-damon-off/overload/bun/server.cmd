/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46681 --feed-port 39627 --bind 127.0.0.1
