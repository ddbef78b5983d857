/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46767 --feed-port 46008 --bind 127.0.0.1
