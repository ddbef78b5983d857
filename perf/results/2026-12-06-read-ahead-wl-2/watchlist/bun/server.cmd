/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40307 --feed-port 32916 --bind 127.0.0.1
