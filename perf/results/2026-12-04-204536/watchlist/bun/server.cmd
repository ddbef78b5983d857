/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39431 --feed-port 57523 --bind 127.0.0.1
