/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39755 --feed-port 55909 --bind 127.0.0.1
