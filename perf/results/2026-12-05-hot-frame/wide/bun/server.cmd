/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35905 --feed-port 38827 --bind 127.0.0.1
