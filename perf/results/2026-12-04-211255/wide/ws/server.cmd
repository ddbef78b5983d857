/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 46797 --feed-port 36399 --bind 127.0.0.1
