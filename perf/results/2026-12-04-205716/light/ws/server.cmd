/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 46457 --feed-port 55932 --bind 127.0.0.1
