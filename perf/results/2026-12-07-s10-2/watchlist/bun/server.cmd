/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 40171 --feed-port 58769 --bind 127.0.0.1
