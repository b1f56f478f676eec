#!/usr/bin/env bash
# Reproduces the flood figures of docs/reliability.md: starts a private redis-server and the example telescope
# dispatcher (`ktl dispatcher`), floods its modify channel with pipelined fire-and-forget requests for
# FLOOD_SECONDS (redis-benchmark), samples the dispatcher's RSS every second, then times one `ktl modify` to
# the flooded keyword and one to another keyword. Everything runs on 127.0.0.1 and stops by itself.
#
# Usage: scripts/flood.sh [FLOOD_SECONDS=10] [PORT=46379]
# Needs: redis-server and redis-benchmark on PATH (Debian: redis-server, redis-tools), a JDK 17.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
port=${2:-46379}
. scripts/private-dispatcher.sh
pid=$(pgrep -f -n "org.ktl4j.cli.Main dispatcher|ktl.jar dispatcher" || echo "$disp")

rss() { ps -o rss= -p "$pid" | tr -d ' '; }
echo "dispatcher pid $pid, RSS before the flood: $(( $(rss) / 1024 )) MiB"
req='{"id":"f","keyword":"TARGAZ","value":"100","client":"flood"}'
timeout "$seconds" redis-benchmark -p "$port" -P 100 -c 4 -n 100000000 -q \
  PUBLISH 'ktl:{telescope}:modify' "$req" >/dev/null 2>&1 &
flood=$!
peak=0
for _ in $(seq "$seconds"); do
  sleep 1
  r=$(rss); [ "$r" -gt "$peak" ] && peak=$r
done
wait "$flood" 2>/dev/null || true
echo "peak RSS during a ${seconds} s pipelined flood: $(( peak / 1024 )) MiB"

t0=$(date +%s%N)
rc1=0; KTL_REDIS_URL=$url ./ktl modify -s telescope TARGAZ=120 >"$work/m1.log" 2>&1 || rc1=$?
t1=$(date +%s%N)
rc2=0; KTL_REDIS_URL=$url ./ktl modify -s telescope TARGEL=45 >"$work/m2.log" 2>&1 || rc2=$?
t2=$(date +%s%N)
echo "ktl modify TARGAZ (flooded keyword) after the flood: exit $rc1 in $(( (t1 - t0) / 1000000 )) ms: $(tail -1 "$work/m1.log")"
echo "ktl modify TARGEL (other keyword) after the flood: exit $rc2 in $(( (t2 - t1) / 1000000 )) ms: $(tail -1 "$work/m2.log")"
echo "RSS after: $(( $(rss) / 1024 )) MiB"
