/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 45037 --feed-port 49594 --bind 127.0.0.1
