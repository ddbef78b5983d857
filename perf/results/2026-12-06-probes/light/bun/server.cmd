/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46209 --feed-port 35643 --bind 127.0.0.1
