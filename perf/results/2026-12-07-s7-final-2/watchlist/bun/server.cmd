/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 45903 --feed-port 47134 --bind 127.0.0.1
