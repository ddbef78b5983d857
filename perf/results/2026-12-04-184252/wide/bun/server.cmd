/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37821 --feed-port 39855 --bind 127.0.0.1
