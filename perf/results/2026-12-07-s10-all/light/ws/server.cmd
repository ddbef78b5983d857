/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 41061 --feed-port 39244 --bind 127.0.0.1
