/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45731 --feed-port 36079 --bind 127.0.0.1
