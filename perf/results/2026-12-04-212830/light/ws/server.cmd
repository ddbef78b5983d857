/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 34841 --feed-port 42701 --bind 127.0.0.1
