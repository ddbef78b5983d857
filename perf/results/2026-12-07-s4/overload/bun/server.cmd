/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 38671 --feed-port 53730 --bind 127.0.0.1
