/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 39671 --feed-port 46365 --bind 127.0.0.1
