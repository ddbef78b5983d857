/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 42189 --feed-port 60384 --bind 127.0.0.1
