/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 42165 --feed-port 51462 --bind 127.0.0.1
