/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46493 --feed-port 44200 --bind 127.0.0.1
