/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44625 --feed-port 35176 --bind 127.0.0.1
