/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40931 --feed-port 52106 --bind 127.0.0.1
