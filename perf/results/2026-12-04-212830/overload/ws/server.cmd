/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 37947 --feed-port 57758 --bind 127.0.0.1
