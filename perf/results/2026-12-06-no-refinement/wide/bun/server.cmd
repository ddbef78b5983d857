/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43837 --feed-port 45956 --bind 127.0.0.1
