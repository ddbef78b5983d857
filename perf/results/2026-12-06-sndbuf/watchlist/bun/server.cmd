/work/ci-check/perf/peers/node_modules/.bin/bun /work/ci-check/perf/peers/bun-server.mjs --ws-port 36539 --feed-port 54171 --bind 127.0.0.1
