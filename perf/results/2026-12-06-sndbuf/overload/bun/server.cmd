/work/ci-check/perf/peers/node_modules/.bin/bun /work/ci-check/perf/peers/bun-server.mjs --ws-port 39309 --feed-port 43024 --bind 127.0.0.1
