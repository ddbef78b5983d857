/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37353 --feed-port 44656 --bind 127.0.0.1
