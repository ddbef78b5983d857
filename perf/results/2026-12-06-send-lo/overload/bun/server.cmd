/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43137 --feed-port 45383 --bind 127.0.0.1
