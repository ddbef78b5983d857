/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 38115 --feed-port 34497 --bind 127.0.0.1
