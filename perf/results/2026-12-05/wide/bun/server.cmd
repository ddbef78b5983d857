/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 46349 --feed-port 55905 --bind 127.0.0.1
