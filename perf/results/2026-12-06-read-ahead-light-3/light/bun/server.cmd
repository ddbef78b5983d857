/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40163 --feed-port 60382 --bind 127.0.0.1
