/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43205 --feed-port 56370 --bind 127.0.0.1
