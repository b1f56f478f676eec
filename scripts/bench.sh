#!/usr/bin/env bash
# bench.sh: builds the bench module and runs it (docs/performance.md). Every option goes to the bench:
#   scripts/bench.sh                         full run on an embedded Redis (about 5 minutes)
#   scripts/bench.sh --quick                 smoke run (about a minute)
#   scripts/bench.sh --redis redis://127.0.0.1:6379/0 --scenarios read,write --rounds 10
#   BENCH_JAVA_OPTS="-Xmx4g -XX:+UseG1GC" scripts/bench.sh --scenarios scale --scale-light --scale-masters 1,3,1,3
#                                            1,000 services on Redis Clusters of 1 and 3 masters (about 8 minutes;
#                                            needs redis-server 7.0+; docs/performance.md section 7)
# The table is printed and written as Markdown to bench/target/bench-result.md (--out FILE to change).
# Environment: KTL_REDIS_SERVER  the redis-server binary of the embedded Redis (default: one on the PATH,
#                                else the one in the embedded-redis jar)
#              BENCH_JAVA_OPTS   JVM options (default -Xmx1g -XX:+UseG1GC)
#              BENCH_NO_BUILD=1  run the jar as it is
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${BENCH_NO_BUILD:-}" != 1 ] || [ ! -f bench/target/bench.jar ]; then
  ./mvnw -B -q -o package -pl bench -am -DskipTests >&2 || ./mvnw -B -q package -pl bench -am -DskipTests >&2
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseG1GC} -jar bench/target/bench.jar "$@"
