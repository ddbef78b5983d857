/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37363 --feed-port 55715 --bind 127.0.0.1
