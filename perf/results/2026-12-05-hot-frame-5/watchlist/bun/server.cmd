/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35183 --feed-port 37544 --bind 127.0.0.1
