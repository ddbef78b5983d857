/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 32985 --feed-port 38286 --bind 127.0.0.1
