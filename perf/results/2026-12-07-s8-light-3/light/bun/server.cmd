/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43777 --feed-port 39181 --bind 127.0.0.1
