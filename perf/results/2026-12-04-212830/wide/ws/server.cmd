/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 35657 --feed-port 34808 --bind 127.0.0.1
