/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37927 --feed-port 36058 --bind 127.0.0.1
