/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40569 --feed-port 53349 --bind 127.0.0.1
