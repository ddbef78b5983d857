/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33953 --feed-port 41033 --bind 127.0.0.1
