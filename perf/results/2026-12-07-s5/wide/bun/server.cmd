/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44301 --feed-port 41999 --bind 127.0.0.1
