/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 38679 --feed-port 42940 --bind 127.0.0.1
