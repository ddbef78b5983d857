/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44895 --feed-port 44732 --bind 127.0.0.1
