/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45197 --feed-port 42082 --bind 127.0.0.1
