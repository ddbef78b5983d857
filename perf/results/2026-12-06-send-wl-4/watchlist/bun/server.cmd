/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43365 --feed-port 40360 --bind 127.0.0.1
