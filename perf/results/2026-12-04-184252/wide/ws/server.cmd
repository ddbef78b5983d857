/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 37497 --feed-port 49757 --bind 127.0.0.1
