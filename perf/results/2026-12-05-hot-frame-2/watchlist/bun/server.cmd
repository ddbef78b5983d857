/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34687 --feed-port 45163 --bind 127.0.0.1
