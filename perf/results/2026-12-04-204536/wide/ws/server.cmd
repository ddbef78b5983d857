/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 42831 --feed-port 35348 --bind 127.0.0.1
