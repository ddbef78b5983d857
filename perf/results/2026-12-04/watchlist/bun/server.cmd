/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 33447 --feed-port 35849 --bind 127.0.0.1
