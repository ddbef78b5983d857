/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39793 --feed-port 44170 --bind 127.0.0.1
