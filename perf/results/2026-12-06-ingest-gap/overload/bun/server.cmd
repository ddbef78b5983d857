/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43457 --feed-port 43350 --bind 127.0.0.1
