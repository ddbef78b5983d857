/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33777 --feed-port 50653 --bind 127.0.0.1
