/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46509 --feed-port 43946 --bind 127.0.0.1
