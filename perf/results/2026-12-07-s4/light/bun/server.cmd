/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44391 --feed-port 43292 --bind 127.0.0.1
