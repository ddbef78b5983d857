/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 37361 --feed-port 41680 --bind 127.0.0.1
