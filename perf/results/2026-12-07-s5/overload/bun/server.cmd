/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46393 --feed-port 37386 --bind 127.0.0.1
