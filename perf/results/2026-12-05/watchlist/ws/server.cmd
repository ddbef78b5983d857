/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 34171 --feed-port 60365 --bind 127.0.0.1
