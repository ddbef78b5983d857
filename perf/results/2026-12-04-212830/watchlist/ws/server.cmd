/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 32947 --feed-port 53310 --bind 127.0.0.1
