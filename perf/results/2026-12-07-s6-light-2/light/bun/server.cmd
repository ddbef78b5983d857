/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 39817 --feed-port 33223 --bind 127.0.0.1
