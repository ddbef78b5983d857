/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 41497 --feed-port 54773 --bind 127.0.0.1
