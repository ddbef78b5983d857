/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 42757 --feed-port 47242 --bind 127.0.0.1
