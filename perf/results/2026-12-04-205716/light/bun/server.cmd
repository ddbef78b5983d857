/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45281 --feed-port 45400 --bind 127.0.0.1
