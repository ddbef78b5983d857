/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43103 --feed-port 49870 --bind 127.0.0.1
