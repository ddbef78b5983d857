/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39207 --feed-port 43788 --bind 127.0.0.1
