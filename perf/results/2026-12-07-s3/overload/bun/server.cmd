/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45757 --feed-port 50865 --bind 127.0.0.1
