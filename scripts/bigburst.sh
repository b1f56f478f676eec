#!/usr/bin/env bash
# Reproduces the big-message figures of docs/reliability.md: starts a private redis-server and the example
# telescope dispatcher, then sends ONE pipeline of COUNT messages of SIZE_MB MiB each on the modify channel,
# followed in the same pipeline by SMALL valid fire-and-forget requests (TARGAZ = 1..SMALL). It reports how many
# of the small requests were applied (the keyword's seq), whether Redis dropped the dispatcher's subscription,
# and what the dispatcher logged. Everything runs on 127.0.0.1 and stops by itself.
#
# Usage: scripts/bigburst.sh [COUNT=10] [SIZE_MB=10] [SMALL=1000] [PORT=46380]
# Needs: redis-server and redis-cli on PATH, python3, a JDK 17.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10}
size=${2:-10}
small=${3:-1000}
port=${4:-46380}
work=$(mktemp -d)
url="redis://127.0.0.1:$port/0"
cleanup() {
  [ -n "${disp:-}" ] && kill "$disp" 2>/dev/null || true
  [ -n "${disp:-}" ] && wait "$disp" 2>/dev/null || true
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "$work/redis.log" --dir "$work" >/dev/null
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

./ktl --version >/dev/null 2>&1 || true   # builds the CLI on first use
KTL_REDIS_URL=$url ./ktl dispatcher --config examples/src/main/resources/telescope/telescope.xml \
  --setup org.ktl4j.examples.telescope.TelescopeSetup >"$work/dispatcher.log" 2>&1 &
disp=$!
for _ in $(seq 300); do grep -q "ready" "$work/dispatcher.log" 2>/dev/null && break; sleep 0.1; done

seq0=$(redis-cli -p "$port" hget 'ktl:{telescope}:kw:TARGAZ' seq)
python3 - "$port" "$count" "$size" "$small" <<'PY'
import socket, sys
port, count, size, small = (int(a) for a in sys.argv[1:5])
def cmd(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)
chan = "ktl:{telescope}:modify"
big = b'{"id":"big","keyword":"TARGAZ","value":"' + b"x" * (size << 20) + b'"}'
s = socket.create_connection(("127.0.0.1", port))
for _ in range(count):
    s.sendall(cmd("PUBLISH", chan, big))
for i in range(1, small + 1):
    s.sendall(cmd("PUBLISH", chan, '{"id":"s%d","keyword":"TARGAZ","value":"%d","client":"burst"}' % (i, i % 300)))
s.sendall(cmd("PING"))
buf = b""
while not buf.endswith(b"+PONG\r\n"):
    buf += s.recv(65536)
s.close()
PY
# the last small request has been delivered or dropped once its seq stops moving
prev=-1
for _ in $(seq 100); do
  cur=$(redis-cli -p "$port" hget 'ktl:{telescope}:kw:TARGAZ' seq)
  [ "$cur" = "$prev" ] && break
  prev=$cur; sleep 0.3
done
applied=$(( cur - seq0 ))
echo "burst: $count x $size MiB then $small small requests in one pipeline"
echo "small requests applied: $applied of $small"
echo "dispatcher subscription dropped by Redis: $(grep -c 'closed by Redis' "$work/dispatcher.log" || true) time(s)"
echo "dispatcher log lines during the burst: $(grep -c . "$work/dispatcher.log")"
grep -v 'ready\|embedded\|starting\|lease\|ktl:' "$work/dispatcher.log" | cut -c1-300 || true
