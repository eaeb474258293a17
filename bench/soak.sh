#!/usr/bin/env bash
# Soak (issue 16, docs/benchmarks.md "Soak"): TOTAL immediate callbacks (default 1,728,000: 24 h at
# 20 callbacks/s) through start → hand-off → built-in engine (simulated agents, times in ms) →
# COMPLETED, on one node over embedded PostgreSQL (STORE=h2: its embedded H2), as fast as CLIENTS
# connections allow. Every 10 %
# of the run: the server's heap after a full GC (jcmd GC.run + jstat), every table's row count, disk
# used by PostgreSQL and the server's data directory. Loopback only; bounded by TOTAL and by
# MAX_MINUTES (the driver is stopped after that long).
#   TOTAL=100000 CLIENTS=16 SKIP_BUILD=1 bench/soak.sh
# Cost (docs/benchmarks.md "Soak"): CPU of the server and PostgreSQL per 1,000 callbacks and
# transactions per callback at the end; STATEMENTS=true adds pg_stat_statements, JFR=FILE a recording.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
trap bench_cleanup EXIT

TOTAL=${TOTAL:-1728000}
CLIENTS=${CLIENTS:-16}
MAX_MINUTES=${MAX_MINUTES:-40}
STATEMENTS=${STATEMENTS:-false}
STORE=${STORE:-postgres}   # postgres (embedded, one cluster node), sqlite (the embedded default) or h2
WORK=${WORK:-target/soak}
rm -rf "$WORK"
mkdir -p "$WORK"
bench_build
if [ "$STORE" = postgres ]; then
  PG_OPTS="-Dbench.pg.statements=$STATEMENTS" PG_DURABLE=${PG_DURABLE:-false} start_postgres "$WORK/pg"
  postmaster=$(head -1 "$WORK/pg/pgdata/postmaster.pid")
  DB_URL=$PG_URL
  db_args=(--db-url "$PG_URL" --node-id soak)
elif [ "$STORE" = sqlite ]; then
  # the embedded default in a fresh data directory: the driver reads the same file (WAL lets a
  # reader in beside the server's writer)
  mkdir -p "$WORK/data"
  DB_URL="jdbc:sqlite:$(realpath "$WORK/data")/opencallback.sqlite"
  db_args=()
else
  # the embedded H2 of a single node (the default store), its file in the data directory as
  # Database.embeddedUrl has it (AUTO_SERVER, which lets the driver read its counts while the server
  # runs, refuses DB_CLOSE_ON_EXIT=FALSE: H2 closes on its own shutdown hook here)
  mkdir -p "$WORK/data"
  DB_URL="jdbc:h2:file:$(realpath "$WORK/data")/opencallback;WRITE_DELAY=0;AUTO_SERVER=TRUE"
  db_args=(--db-url "$DB_URL")
fi
port=$(free_port)
# JFR=FILE: a flight recording (profile settings) of the server, dumped to FILE after the run;
# LOGS=quiet: bench/soak-logback.xml (no line per request and per state change: 9 per callback)
[ "${LOGS:-}" = quiet ] && quiet_logs=" -Dlogback.configurationFile=bench/soak-logback.xml" || quiet_logs=""
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}${JFR:+ -XX:StartFlightRecording=name=soak,settings=profile}$quiet_logs" start_server "$port" "$WORK/server.log" --config bench/soak.yaml \
  --data-dir "$WORK/data" "${db_args[@]}"
wait_ready "$port"
echo "soak: $TOTAL callbacks, $CLIENTS clients, store $STORE, server pid $SERVER_PID, port $port, load $(load_avg)"
xacts0=0 xacts1=0 pg0=0 pg1=0
if [ "$STORE" = postgres ]; then
  [ "$STATEMENTS" = true ] && pg_sql "$PG_URL" "SELECT pg_stat_statements_reset()" >/dev/null
  xacts0=$(pg_sql "$PG_URL" "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench'")
  pg0=$(cpu_ticks "$postmaster")
fi
server0=$(cpu_ticks "$SERVER_PID") began=$(date +%s)
timeout "${MAX_MINUTES}m" java -Xmx256m -cp "$BENCH_CP" org.opencallback.bench.SoakDriver \
  "http://127.0.0.1:$port" "$SERVER_PID" "$DB_URL" "$TOTAL" "$CLIENTS" "$WORK/pg" "$WORK/data" | tee "$WORK/driver.out" || true
# The cost of the run: CPU seconds of the server and of PostgreSQL (all its processes) and
# PostgreSQL transactions, per 1,000 COMPLETED callbacks (the driver's checkpoints included).
server1=$(cpu_ticks "$SERVER_PID") ended=$(date +%s)
# THREADS=1: the server's CPU by thread (user s, system s, name)
[ -n "${THREADS:-}" ] && { echo "server CPU by thread (user s, system s):"; thread_cpu "$SERVER_PID"; }
# The machine's speed in this run (machines here are shared and differ by 2x from day to day): the same
# server's /health/live flat out for CEILING seconds (2 threads, 64 connections, as bench/create-load.sh),
# after the soak, when its JIT is warm (measured first, on a cold server, it read a quarter of this), so
# the soak's rate is also reported as a share of it. CEILING=0 skips it.
CEILING=${CEILING:-15}
ceiling_rps=""
if [ "$CEILING" != 0 ] && command -v wrk >/dev/null; then
  ceiling_rps=$(wrk -t2 -c64 -d"${CEILING}s" "http://127.0.0.1:$port/health/live" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  echo "ceiling: /health/live flat out ${ceiling_rps}/s (load $(load_avg))"
fi
done_=$(grep -oE '^completed: [0-9]+' "$WORK/driver.out" | grep -oE '[0-9]+' || echo 0)
if [ "$STORE" = postgres ]; then
  pg1=$(cpu_ticks "$postmaster")
  xacts1=$(pg_sql "$PG_URL" "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench'")
fi
awk -v n="$done_" -v s=$((server1 - server0)) -v p=$((pg1 - pg0)) -v x=$((xacts1 - xacts0)) -v t=$((ended - began)) \
  -v store="$STORE" -v ceiling="$ceiling_rps" 'BEGIN { if (n == 0) { print "cost: nothing COMPLETED"; exit }
    printf "cost: %d COMPLETED in %d s (%.0f/s", n, t, n / t
    if (ceiling > 0) printf ", %.2f %% of the /health/live ceiling", n / t / ceiling * 100
    printf "); CPU s per 1,000: server %.1f", s / n * 10
    if (store == "postgres") printf ", PostgreSQL %.1f; transactions per callback %.2f", p / n * 10, x / n
    printf "\n" }'
echo "load at the end: $(load_avg)"
[ -n "${JFR:-}" ] && jcmd "$SERVER_PID" JFR.dump name=soak filename="$(realpath -m "$JFR")" >/dev/null
if [ "$STATEMENTS" = true ] && [ "$STORE" = postgres ]; then
  echo "statements per COMPLETED callback (pg_stat_statements, top 25):"
  pg_sql "$PG_URL" "SELECT to_char(calls::numeric / $done_, '990.99') || '  ' || left(regexp_replace(query, '\s+', ' ', 'g'), 150)
    FROM pg_stat_statements ORDER BY calls DESC LIMIT 25"
fi
echo "server log: $(grep -c ' ERROR ' "$WORK/server.log" || true) ERROR line(s), $(grep -c ' WARN ' "$WORK/server.log" || true) WARN line(s)"
