/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 45997 --feed-port 43037 --bind 127.0.0.1
