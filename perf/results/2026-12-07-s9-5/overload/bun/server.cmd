/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 36067 --feed-port 60902 --bind 127.0.0.1
