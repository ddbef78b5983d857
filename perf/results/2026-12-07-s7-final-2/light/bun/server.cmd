/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 41861 --feed-port 58307 --bind 127.0.0.1
