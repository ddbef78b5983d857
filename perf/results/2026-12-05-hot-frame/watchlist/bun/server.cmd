/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35223 --feed-port 40412 --bind 127.0.0.1
