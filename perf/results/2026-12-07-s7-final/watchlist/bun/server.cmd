/work/dev/perf/peers/node_modules/.bin/bun /work/dev/perf/peers/bun-server.mjs --ws-port 33619 --feed-port 35052 --bind 127.0.0.1
