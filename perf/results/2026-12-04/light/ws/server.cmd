/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 39435 --feed-port 40262 --bind 127.0.0.1
