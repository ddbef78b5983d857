/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36635 --feed-port 38091 --bind 127.0.0.1
