/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 39467 --feed-port 59205 --bind 127.0.0.1
