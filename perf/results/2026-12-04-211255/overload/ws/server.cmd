/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 36387 --feed-port 49963 --bind 127.0.0.1
