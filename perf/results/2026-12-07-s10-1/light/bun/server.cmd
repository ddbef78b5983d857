/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34927 --feed-port 33672 --bind 127.0.0.1
