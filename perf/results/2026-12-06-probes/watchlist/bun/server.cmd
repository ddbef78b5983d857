/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33945 --feed-port 59659 --bind 127.0.0.1
