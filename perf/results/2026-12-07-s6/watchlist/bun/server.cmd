/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 43743 --feed-port 51555 --bind 127.0.0.1
