/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 37867 --feed-port 42234 --bind 127.0.0.1
