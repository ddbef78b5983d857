/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 32889 --feed-port 49771 --bind 127.0.0.1
