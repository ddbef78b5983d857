/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 37221 --feed-port 35770 --bind 127.0.0.1
