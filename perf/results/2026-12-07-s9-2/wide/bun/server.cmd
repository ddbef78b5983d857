/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 42229 --feed-port 53766 --bind 127.0.0.1
