/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36845 --feed-port 44867 --bind 127.0.0.1
