/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 41515 --feed-port 57431 --bind 127.0.0.1
