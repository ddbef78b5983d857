/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33373 --feed-port 43442 --bind 127.0.0.1
