/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34643 --feed-port 58135 --bind 127.0.0.1
