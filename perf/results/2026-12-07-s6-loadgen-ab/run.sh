#!/usr/bin/env bash
# usage: run.sh NAME  — Tickgate alone at light with this checkout's built jars, 15 s measured after 8 s warm-up.
# PERFJAR=other-tickgate-perf.jar runs another build's load generator (the 'old' runs: a104e92's, default heap);
# LTOPTS='-Xms768m -Xmn512m' gave the 'new' runs the heap the launcher now gives it. Results go to /tmp/lt/NAME.
set -u
here="$(cd "$(dirname "$0")/../../.." && pwd)"; name=$1; hp=28180; fp=29180
out=/tmp/lt/$name; rm -rf $out; mkdir -p $out
read -r -a flags < $here/gateway/target/jvm.flags
java ${flags[@]} -XX:AutoBoxCacheMax=65536 -XX:G1ConcRefinementThreads=0 -jar $here/gateway/target/tickgate.jar gateway --bind 127.0.0.1 --http-port $hp --feed-port $fp > $out/server.log 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$hp/health >/dev/null && break; sleep 0.5; done
java ${flags[@]} -jar $here/gateway/target/tickgate.jar simulate --to 127.0.0.1:$fp --symbols 100 --rate 1000 --uniform > /dev/null 2>&1 &
sim=$!
ulimit -n 65536
java ${flags[@]} -XX:AutoBoxCacheMax=65536 ${LTOPTS:-} -jar ${PERFJAR:-$here/perf/target/tickgate-perf.jar} loadtest --url ws://127.0.0.1:$hp/ws --connections 1000 --symbols-per-connection 1 --symbols 100 --duration ${DUR:-15} --warmup 8 --out $out/lt > $out/lt.log 2>&1
kill $sim $server 2>/dev/null; sleep 2; kill -9 $sim $server 2>/dev/null
python3 -c "import json; d=json.load(open('$out/lt/summary.json')); print('$name p99', d['latencyMicros']['p99']/1000)"
