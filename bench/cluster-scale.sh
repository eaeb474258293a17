#!/usr/bin/env bash
# Cluster scaling (issue 8): callbacks/s created and dispatched with 1, 2 and 3 nodes on one
# PostgreSQL. For each node count N (NODES, "1 2 3"), on a fresh PostgreSQL (bench/BenchPostgres):
#  1. SeedCallbacks stores DISPATCH_COUNT SCHEDULED callbacks of service Dispatch, due in a day
#     (outside the nodes' 10-minute horizon, so nothing dispatches yet);
#  2. N nodes start (bench/cluster.yaml, --node-id nodeK, free ports, JAVA_OPTS each);
#  3. creates: one wrk per node in parallel (bench/create.lua on service Bench, CONNECTIONS split
#     evenly over the nodes, distinct customer numbers), WARMUP then DURATION; creates/s is the sum;
#  4. dispatch: WatchDispatch makes every Dispatch callback due DISPATCH_LEAD seconds from now (one
#     UPDATE of due_time) and polls the database until none is SCHEDULED; dispatched/s = count / time
#     from the due time to the last one leaving SCHEDULED (claimed by some node, QUEUED in its
#     built-in engine, which has no agents).
# Every node, PostgreSQL, wrk and the poller share this machine: on few cores the figure says how the
# cluster's own overhead grows with N, not what N machines would do.
# Ends with one "RESULT nodes=N …" line per node count. Env: NODES ("1 2 3"), CONNECTIONS (64 in total),
# DURATION (30s), WARMUP (10s), DISPATCH_COUNT (100000), DISPATCH_LEAD (15), JAVA_OPTS (-Xmx512m),
# PG_DURABLE (true), WRK_TIMEOUT (10s), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
NODES=${NODES:-1 2 3}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
DISPATCH_COUNT=${DISPATCH_COUNT:-100000}
DISPATCH_LEAD=${DISPATCH_LEAD:-15}
# wrk leaves requests slower than its timeout (2 s by default) out of the latencies: 10 s keeps them in
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
bench_build
WORK=$(mktemp -d /tmp/opencallback-cluster.XXXXXX)
trap 'bench_cleanup; rm -rf "$WORK"/n*/pgdata' EXIT
RESULTS=()
for n in $NODES; do
  DIR="$WORK/n$n"
  mkdir -p "$DIR"
  echo "===== $n node(s); load average: $(load_avg)"
  start_postgres "$DIR"
  echo "== seeding $DISPATCH_COUNT callbacks of Dispatch, due in a day"
  bench_java org.opencallback.bench.SeedCallbacks --db-url "$PG_URL" --count "$DISPATCH_COUNT" --services Dispatch \
    --due-in 86400 --number-offset 30000000 | tail -1
  cp bench/cluster.yaml "$DIR/opencallback.yaml"
  PORTS=()
  PIDS=()
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    start_server "$port" "$DIR/node$i.log" --config "$DIR/opencallback.yaml" --db-url "$PG_URL" --node-id "node$i"
    PORTS+=("$port")
    PIDS+=("$SERVER_PID")
  done
  for port in "${PORTS[@]}"; do
    wait_ready "$port"
  done
  echo "== nodes on ports ${PORTS[*]}"
  per_node=$(( (CONNECTIONS + n - 1) / n ))
  # creates WARMUP|DURATION OFFSET_BASE: one wrk per node in parallel, outputs in $DIR/wrk-<phase>-<i>.txt
  creates() {
    local phase=$1 duration=$2 base=$3 i wrks=()
    for i in $(seq 1 "$n"); do
      CREATE_OFFSET=$((base + i * 1000000)) WRK_THREADS=1 wrk -t1 -c"$per_node" -d"$duration" --latency --timeout "$WRK_TIMEOUT" \
        -s bench/create-report.lua "http://127.0.0.1:${PORTS[$((i - 1))]}/genesys/1/service/callback/Bench" \
        > "$DIR/wrk-$phase-$i.txt" &
      wrks+=($!)
    done
    for i in "${wrks[@]}"; do wait "$i"; done
  }
  echo "== creates: warm-up $WARMUP, then $DURATION, $per_node connections to each node"
  creates warm "$WARMUP" 20000000
  creates load "$DURATION" 0
  rps=0; errors=0; p99=0
  for i in $(seq 1 "$n"); do
    f="$DIR/wrk-load-$i.txt"
    echo "   node$i: $(grep '^WRK' "$f")"
    rps=$(awk -v a="$rps" -v b="$(wrk_field "$f" rps)" 'BEGIN{printf "%.0f", a + b}')
    p99=$(awk -v a="$p99" -v b="$(wrk_field "$f" p99_ms)" 'BEGIN{printf "%.2f", (b > a ? b : a)}')
    errors=$((errors + $(wrk_field "$f" non2xx) + $(wrk_field "$f" errors)))
  done
  echo "== creates/s with $n node(s): $rps (worst node p99 $p99 ms, errors $errors)"
  echo "== dispatch: $DISPATCH_COUNT callbacks due in $DISPATCH_LEAD s"
  bench_java org.opencallback.bench.WatchDispatch "$PG_URL" Dispatch "$DISPATCH_LEAD" 600 | tee "$DIR/dispatch.txt"
  line=$(grep '^RESULT' "$DIR/dispatch.txt")
  field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
  for i in $(seq 1 "$n"); do
    held=$(curl -fsS "http://127.0.0.1:${PORTS[$((i - 1))]}/metrics" | grep -E '^opencallback_engine_queue_size' | awk '{s+=$2} END{printf "%d", s}')
    echo "   node$i holds ${held:-?} queued (built-in engine)"
  done
  RESULTS+=("RESULT nodes=$n create_rps=$rps create_p99_ms_worst=$p99 create_errors=$errors dispatched=$(field dispatched) dispatch_left=$(field left) dispatch_seconds=$(field seconds) dispatch_rate=$(field rate) load=\"$(load_avg)\"")
  echo "${RESULTS[-1]}"
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  stop_pid "$PG_PID"
  rm -rf "$DIR/pgdata"
done
echo "logs: $WORK"
printf '%s\n' "${RESULTS[@]}"
