/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 46527 --feed-port 59418 --bind 127.0.0.1
