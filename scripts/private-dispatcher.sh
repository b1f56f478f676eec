# Sourced by the measurement scripts: starts a private redis-server on 127.0.0.1:$port and the example telescope
# dispatcher (`ktl dispatcher`) against it, and stops both (and removes $work) when the script exits.
# Expects $port; sets $work (a temporary directory holding redis.log and dispatcher.log), $url and $disp.
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
