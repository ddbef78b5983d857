/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 38639 --feed-port 52541 --bind 127.0.0.1
