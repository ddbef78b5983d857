/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 35465 --feed-port 60050 --bind 127.0.0.1
