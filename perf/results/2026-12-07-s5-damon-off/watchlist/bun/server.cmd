/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34529 --feed-port 59221 --bind 127.0.0.1
