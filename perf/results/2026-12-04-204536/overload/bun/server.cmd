/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 45325 --feed-port 51891 --bind 127.0.0.1
