/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44527 --feed-port 59870 --bind 127.0.0.1
