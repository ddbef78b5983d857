/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34607 --feed-port 54212 --bind 127.0.0.1
