/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 46189 --feed-port 53777 --bind 127.0.0.1
