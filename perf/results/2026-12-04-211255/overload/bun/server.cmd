/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44265 --feed-port 34996 --bind 127.0.0.1
