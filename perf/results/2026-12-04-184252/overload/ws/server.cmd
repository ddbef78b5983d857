/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 41377 --feed-port 38452 --bind 127.0.0.1
