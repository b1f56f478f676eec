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
. scripts/private-dispatcher.sh

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
