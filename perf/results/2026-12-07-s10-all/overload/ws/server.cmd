/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 42407 --feed-port 60135 --bind 127.0.0.1
