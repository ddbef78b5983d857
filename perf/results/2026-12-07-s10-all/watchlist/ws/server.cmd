/usr/bin/node /work/main/perf/peers/ws-server.mjs --ws-port 40669 --feed-port 52673 --bind 127.0.0.1
