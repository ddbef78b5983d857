/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 42041 --feed-port 55772 --bind 127.0.0.1
