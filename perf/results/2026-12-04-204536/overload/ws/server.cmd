/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 43793 --feed-port 55549 --bind 127.0.0.1
