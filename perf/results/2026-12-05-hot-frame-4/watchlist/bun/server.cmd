/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 44359 --feed-port 42534 --bind 127.0.0.1
