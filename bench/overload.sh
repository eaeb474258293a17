#!/usr/bin/env bash
# Overload (issue 10, reliability 2): at 3x the sustainable create rate the server sheds load with
# 503/429 and a GMS error body, stays responsive on /health/live, keeps its heap bounded, and takes
# creates again as soon as the load stops.
# 1. Starts the jar (JAVA_OPTS, default -Xmx512m) on a fresh data directory with bench/bench.yaml.
# 2. Sustainable rate: RATE if given, else what wrk (bench/create.lua, 16 connections, 15 s) sustains.
# 3. bench/Overload.java sends creates at FACTOR x RATE (default 3) at a constant rate (open loop) for
#    DURATION seconds, at most MAX_IN_FLIGHT outstanding, while probing /health/live every 100 ms;
#    jstat samples the heap every second. Then it measures how soon a create succeeds again.
# Env: RATE, FACTOR (3), DURATION (30), MAX_IN_FLIGHT (400), MAX_CONCURRENT (server's
#      max-concurrent-requests; default: the server's 200), PORT (18092), JAVA_OPTS, SKIP_BUILD=1,
#      HEALTH_P99_MS (100), RECOVERY_S (5).
# Ends with a RESULT line; exits 1 when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
FACTOR=${FACTOR:-3}
DURATION=${DURATION:-30}
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-400}
PORT=${PORT:-18092}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
HEALTH_P99_MS=${HEALTH_P99_MS:-100}
RECOVERY_S=${RECOVERY_S:-5}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -DskipTests package
fi
WORK=$(mktemp -d /tmp/opencallback-overload.XXXXXX)
cp bench/bench.yaml "$WORK/opencallback.yaml"
if [ -n "${MAX_CONCURRENT:-}" ]; then
  printf 'server:\n  max-concurrent-requests: %s\n' "$MAX_CONCURRENT" >> "$WORK/opencallback.yaml"
fi
java $JAVA_OPTS -jar target/opencallback.jar --config "$WORK/opencallback.yaml" --port "$PORT" \
  --host 127.0.0.1 --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER=$!
JSTAT=
cleanup() {
  [ -n "$JSTAT" ] && kill "$JSTAT" 2>/dev/null
  kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null
  # the H2 file keeps every commit's chunk (gigabytes after a long run): keep logs, drop data
  rm -rf "$WORK/data"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
BASE="http://127.0.0.1:$PORT"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${RATE:-}" ]; then
  command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk), or give RATE" >&2; exit 1; }
  echo "== sustainable create rate: wrk, 16 connections, 15 s"
  CREATE_OFFSET=70000000 WRK_THREADS=2 wrk -t2 -c16 -d15s -s bench/create.lua "$BASE/genesys/1/service/callback/Bench" \
    | tee "$WORK/wrk.txt" | grep -E 'Requests/sec|Non-2xx|Latency'
  RATE=$(awk '/Requests\/sec/ {printf "%d", $2}' "$WORK/wrk.txt")
fi
TARGET=$((RATE * FACTOR))
echo "== overload: ${TARGET}/s (${FACTOR} x ${RATE}/s) for ${DURATION} s, at most $MAX_IN_FLIGHT in flight"
jstat -gc "$SERVER" 1000 > "$WORK/jstat.txt" 2>&1 &
JSTAT=$!
java -cp target/opencallback.jar bench/Overload.java "$BASE" Bench "$TARGET" "$DURATION" "$MAX_IN_FLIGHT" 80000000 \
  | tee "$WORK/overload.txt"
kill "$JSTAT" 2>/dev/null || true; JSTAT=
# heap in use (survivors + eden + old, KB) at each sample; old generation after the run
HEAP_MAX_MB=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ {used = $3 + $4 + $6 + $8; if (used > max) max = used} END {printf "%d", max / 1024}' "$WORK/jstat.txt")
OLD_END_MB=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ {old = $8} END {printf "%d", old / 1024}' "$WORK/jstat.txt")
FULL_GC=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ {fgc = $15} END {print fgc + 0}' "$WORK/jstat.txt")
ALIVE=$(kill -0 "$SERVER" 2>/dev/null && echo yes || echo no)
OOM=$(grep -c OutOfMemoryError "$WORK/server.log" || true)
ERRORS=$(grep -c ' ERROR ' "$WORK/server.log" || true)
echo "== heap: max in use ${HEAP_MAX_MB} MB (of $JAVA_OPTS), old generation at the end ${OLD_END_MB} MB, full GCs $FULL_GC"
echo "== server alive: $ALIVE; OutOfMemoryError lines: $OOM; ERROR lines: $ERRORS"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULT=$(grep '^RESULT' "$WORK/overload.txt")
field() { echo "$RESULT" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }
FAIL=""
[ "$(field other_5xx)" = 0 ] || FAIL="$FAIL other-5xx"
[ "$(field bad_body)" = 0 ] || FAIL="$FAIL non-GMS-body"
[ "$(field io_errors)" = 0 ] || FAIL="$FAIL connection-errors"
[ "$(field connect_errors)" = 0 ] || FAIL="$FAIL connect-errors"
[ "$(field health_failed)" = 0 ] || FAIL="$FAIL health-failed"
awk -v p="$(field health_p99_ms)" -v lim="$HEALTH_P99_MS" 'BEGIN {exit !(p != "-" && p + 0 < lim)}' || FAIL="$FAIL health-p99"
awk -v r="$(field recovery_s)" -v lim="$RECOVERY_S" 'BEGIN {exit !(r >= 0 && r + 0 < lim)}' || FAIL="$FAIL no-recovery"
[ "$ALIVE" = yes ] && [ "$OOM" = 0 ] || FAIL="$FAIL server-died"
echo "RESULT overload sustainable_rate=$RATE factor=$FACTOR $(echo "$RESULT" | cut -d' ' -f2-) heap_max_mb=$HEAP_MAX_MB old_end_mb=$OLD_END_MB full_gcs=$FULL_GC load_average=$(cut -d' ' -f1 /proc/loadavg) status=${FAIL:+FAIL}${FAIL:-PASS}"
echo "logs: $WORK"
[ -z "$FAIL" ] || { echo "FAILED:$FAIL"; exit 1; }
