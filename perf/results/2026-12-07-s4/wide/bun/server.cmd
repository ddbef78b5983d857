/work/main/perf/peers/node_modules/.bin/bun /work/main/perf/peers/bun-server.mjs --ws-port 32847 --feed-port 43706 --bind 127.0.0.1
