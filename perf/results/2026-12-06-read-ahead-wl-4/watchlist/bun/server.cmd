/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 43283 --feed-port 44935 --bind 127.0.0.1
