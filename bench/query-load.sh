#!/usr/bin/env bash
# Query by id and by customer number with COUNT stored callbacks (issue 10, benchmark 2) and memory
# (benchmark 5), embedded H2, the server in -Xmx512m.
#  1. SeedCallbacks fills a data directory with COUNT callbacks (5 services, unique customer numbers,
#     SCHEDULED ahead / COMPLETED behind, desired times over 30 days) and writes a random sample of
#     their request paths (ids.txt, numbers.txt). SEEDED=DIR reuses an earlier seed (it is copied).
#  2. Starts the jar on a copy with bench/query.yaml; prints the plans H2 uses for both queries.
#  3. wrk (bench/query.lua, random sample paths): GET …/callback/SVC/ID, then the GMS lookup
#     GET …/callback/SVC?_customer_number=…, then the ceiling GET /health/live.
#  4. Memory: heap in use after a full GC (jcmd) idle, after the queries, after CREATE_DURATION of
#     create load (bench/create.lua, 64 connections) and after the queries once more; the largest
#     heap left after any GC of the run (GC log); OutOfMemoryError in the log; errors from wrk.
# Ends with one "RESULT name=value …" line. Env: COUNT (1000000), SEEDED, CONNECTIONS (64),
# DURATION (30s), WARMUP (10s), CREATE_DURATION (60s), THREADS (2), MEMORY (1; 0 skips step 4),
# JAVA_OPTS (-Xmx512m), PORT (a free one), WRK_TIMEOUT (10s), SKIP_BUILD=1, KEEP=1 (keep the work directory).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COUNT=${COUNT:-1000000}
SEEDED=${SEEDED:-}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
CREATE_DURATION=${CREATE_DURATION:-60s}
THREADS=${THREADS:-2}
MEMORY=${MEMORY:-1}
# wrk leaves requests slower than its timeout (2 s by default) out of the latencies: 10 s keeps them in
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
bench_build
WORK=$(mktemp -d /tmp/opencallback-query.XXXXXX)
trap 'bench_cleanup; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/data"' EXIT
echo "== load average: $(load_avg)"
if [ -z "$SEEDED" ]; then
  SEEDED=$WORK/seed
  echo "== seeding $COUNT callbacks into $SEEDED (reuse it with SEEDED=$SEEDED)"
  bench_java org.opencallback.bench.SeedCallbacks --data-dir "$SEEDED/data" --count "$COUNT" --paths-dir "$SEEDED" \
    | tee "$WORK/seed.log"
fi
echo "== copying $SEEDED/data ($(du -sh "$SEEDED/data" | cut -f1))"
cp -r "$SEEDED/data" "$WORK/data"
cp bench/query.yaml "$WORK/opencallback.yaml"

# the plans of the two queries (as JdbcCallbackStore.find and .lookup send them), before the server locks the file
ID=$(head -1 "$SEEDED/ids.txt" | sed 's|.*/||')
NUMBER=$(head -1 "$SEEDED/numbers.txt" | sed 's|.*=%2B|+|')
SERVICE=$(head -1 "$SEEDED/numbers.txt" | sed 's|.*/callback/||; s|?.*||')
echo "== query plans"
bench_java org.h2.tools.Shell -url "jdbc:h2:file:$WORK/data/opencallback" -sql \
  "EXPLAIN SELECT id, state FROM callback WHERE id = '$ID'; EXPLAIN SELECT c.id FROM callback c WHERE 1 = 1 AND c.service = '$SERVICE' AND c.id IN (SELECT k.callback_id FROM callback_key k WHERE k.key_name = '_customer_number' AND k.key_value = '$NUMBER' AND k.service = '$SERVICE') ORDER BY c.desired_time, c.id LIMIT 1000" \
  | tee "$WORK/plans.txt"

PORT=${PORT:-$(free_port)}
JAVA_OPTS="${JAVA_OPTS:--Xmx512m} -Xlog:gc:file=$WORK/gc.log"
start_server "$PORT" "$WORK/server.log" --config "$WORK/opencallback.yaml" --data-dir "$WORK/data"
wait_ready "$PORT" 600
BASE="http://127.0.0.1:$PORT"
echo "== server up (pid $SERVER_PID), work directory $WORK"
curl -fsS "$BASE$(head -1 "$SEEDED/ids.txt")" | grep -q "\"_id\":\"$ID\"" || { echo "GET by id did not find $ID" >&2; exit 1; }
curl -fsS "$BASE$(head -1 "$SEEDED/numbers.txt")" | grep -q '"_id"' || { echo "lookup did not find $NUMBER" >&2; exit 1; }
echo "/health/live" > "$WORK/health.txt"

# query NAME PATHS_FILE DURATION: wrk over random paths, output in $WORK/NAME.txt
query() {
  PATHS_FILE=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency --timeout "$WRK_TIMEOUT" -s bench/query.lua "$BASE" > "$WORK/$1.txt"
  grep -E 'Requests/sec|Latency|Non-2xx|Socket errors|^WRK' "$WORK/$1.txt"
}
HEAP_IDLE=$(heap_after_gc "$SERVER_PID")
echo "== heap after full GC, idle: ${HEAP_IDLE} MB"
echo "== warm-up ($WARMUP each)"
query warm-id "$SEEDED/ids.txt" "$WARMUP" >/dev/null
query warm-number "$SEEDED/numbers.txt" "$WARMUP" >/dev/null
echo "== load average: $(load_avg)"
echo "== GET by id, $CONNECTIONS connections, $DURATION"
query by-id "$SEEDED/ids.txt" "$DURATION"
echo "== GET lookup by _customer_number, $CONNECTIONS connections, $DURATION"
query by-number "$SEEDED/numbers.txt" "$DURATION"
echo "== ceiling: GET /health/live, $CONNECTIONS connections, $DURATION"
query ceiling "$WORK/health.txt" "$DURATION"
echo "== load average: $(load_avg)"
HEAP_QUERIES=$(heap_after_gc "$SERVER_PID")
echo "== heap after full GC, after the queries: ${HEAP_QUERIES} MB"
HEAP_CREATE=-
HEAP_AGAIN=-
CREATE_RPS=-
CREATE_P99=-
if [ "$MEMORY" = 1 ]; then
  echo "== create load (Bench), $CONNECTIONS connections, $CREATE_DURATION"
  WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$CREATE_DURATION" --latency --timeout "$WRK_TIMEOUT" -s bench/create-report.lua \
    "$BASE/genesys/1/service/callback/Bench" > "$WORK/create.txt"
  grep -E 'Requests/sec|Latency|Non-2xx|Socket errors|^WRK' "$WORK/create.txt"
  CREATE_RPS=$(wrk_field "$WORK/create.txt" rps)
  CREATE_P99=$(wrk_field "$WORK/create.txt" p99_ms)
  HEAP_CREATE=$(heap_after_gc "$SERVER_PID")
  echo "== heap after full GC, after the create load: ${HEAP_CREATE} MB"
  echo "== GET by id and lookup again ($WARMUP each)"
  query again-id "$SEEDED/ids.txt" "$WARMUP"
  query again-number "$SEEDED/numbers.txt" "$WARMUP"
  HEAP_AGAIN=$(heap_after_gc "$SERVER_PID")
  echo "== heap after full GC, at the end: ${HEAP_AGAIN} MB"
fi
STORED=$(curl -fsS "$BASE/metrics" | awk '/^opencallback_callbacks_stored\{/{s+=$2} END{printf "%d", s}')
ALIVE=1
kill -0 "$SERVER_PID" 2>/dev/null || ALIVE=0
OOM=$(grep -c OutOfMemoryError "$WORK/server.log" || true)
GC_PEAK=$(grep -oE -- '->[0-9]+M' "$WORK/gc.log" | tr -d '>M-' | sort -n | tail -1)
ERRORS=0
for f in "$WORK"/*.txt; do
  n=$(wrk_field "$f" non2xx); e=$(wrk_field "$f" errors)
  ERRORS=$((ERRORS + ${n:-0} + ${e:-0}))
done
echo "server log, GC log and wrk outputs: $WORK"
echo "RESULT stored=$STORED id_rps=$(wrk_field "$WORK/by-id.txt" rps) id_p50_ms=$(wrk_field "$WORK/by-id.txt" p50_ms)" \
  "id_p99_ms=$(wrk_field "$WORK/by-id.txt" p99_ms) number_rps=$(wrk_field "$WORK/by-number.txt" rps)" \
  "number_p50_ms=$(wrk_field "$WORK/by-number.txt" p50_ms) number_p99_ms=$(wrk_field "$WORK/by-number.txt" p99_ms)" \
  "ceiling_rps=$(wrk_field "$WORK/ceiling.txt" rps) create_rps=$CREATE_RPS create_p99_ms=$CREATE_P99" \
  "heap_idle_mb=$HEAP_IDLE heap_after_queries_mb=$HEAP_QUERIES heap_after_create_mb=$HEAP_CREATE" \
  "heap_end_mb=$HEAP_AGAIN gc_peak_after_mb=${GC_PEAK:-0} errors=$ERRORS oom=$OOM alive=$ALIVE load=\"$(load_avg)\""
