/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 43551 --feed-port 40894 --bind 127.0.0.1
