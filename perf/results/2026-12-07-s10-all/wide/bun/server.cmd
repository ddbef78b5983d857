/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36837 --feed-port 35887 --bind 127.0.0.1
