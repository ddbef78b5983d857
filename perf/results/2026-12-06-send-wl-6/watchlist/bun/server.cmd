/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44747 --feed-port 44929 --bind 127.0.0.1
