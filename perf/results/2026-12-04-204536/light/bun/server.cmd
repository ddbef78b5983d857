/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 41911 --feed-port 46814 --bind 127.0.0.1
