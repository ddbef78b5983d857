/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 45311 --feed-port 44945 --bind 127.0.0.1
