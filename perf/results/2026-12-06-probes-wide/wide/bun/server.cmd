/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40099 --feed-port 54241 --bind 127.0.0.1
