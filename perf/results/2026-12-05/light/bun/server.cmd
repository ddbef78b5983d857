/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 34393 --feed-port 50015 --bind 127.0.0.1
