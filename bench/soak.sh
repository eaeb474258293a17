#!/usr/bin/env bash
# Soak (issue 16, docs/benchmarks.md "Soak"): TOTAL immediate callbacks (default 1,728,000: 24 h at
# 20 callbacks/s) through start → hand-off → built-in engine (simulated agents, times in ms) →
# COMPLETED, on one node over embedded PostgreSQL, as fast as CLIENTS connections allow. Every 10 %
# of the run: the server's heap after a full GC (jcmd GC.run + jstat), every table's row count, disk
# used by PostgreSQL and the server's data directory. Loopback only; bounded by TOTAL and by
# MAX_MINUTES (the driver is stopped after that long).
#   TOTAL=100000 CLIENTS=8 SKIP_BUILD=1 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
trap bench_cleanup EXIT

TOTAL=${TOTAL:-1728000}
CLIENTS=${CLIENTS:-8}
MAX_MINUTES=${MAX_MINUTES:-40}
STATEMENTS=${STATEMENTS:-false}
WORK=${WORK:-target/soak}
rm -rf "$WORK"
mkdir -p "$WORK"
bench_build
PG_OPTS="-Dbench.pg.statements=$STATEMENTS" PG_DURABLE=${PG_DURABLE:-false} start_postgres "$WORK/pg"
postmaster=$(head -1 "$WORK/pg/pgdata/postmaster.pid")
port=$(free_port)
# JFR=FILE: a flight recording (profile settings) of the server, dumped to FILE after the run
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}${JFR:+ -XX:StartFlightRecording=name=soak,settings=profile}" start_server "$port" "$WORK/server.log" --config bench/soak.yaml \
  --data-dir "$WORK/data" --db-url "$PG_URL" --node-id soak
wait_ready "$port"
echo "soak: $TOTAL callbacks, $CLIENTS clients, server pid $SERVER_PID, port $port, load $(load_avg)"
[ "$STATEMENTS" = true ] && pg_sql "$PG_URL" "SELECT pg_stat_statements_reset()" >/dev/null
xacts0=$(pg_sql "$PG_URL" "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench'")
server0=$(cpu_ticks "$SERVER_PID") pg0=$(cpu_ticks "$postmaster") began=$(date +%s)
timeout "${MAX_MINUTES}m" java -Xmx256m -cp "$BENCH_CP" org.opencallback.bench.SoakDriver \
  "http://127.0.0.1:$port" "$SERVER_PID" "$PG_URL" "$TOTAL" "$CLIENTS" "$WORK/pg" "$WORK/data" || true
# The cost of the run: CPU seconds of the server and of PostgreSQL (all its processes) and
# PostgreSQL transactions, per 1,000 COMPLETED callbacks (the driver's checkpoints included).
server1=$(cpu_ticks "$SERVER_PID") pg1=$(cpu_ticks "$postmaster") ended=$(date +%s)
xacts1=$(pg_sql "$PG_URL" "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench'")
done_=$(pg_sql "$PG_URL" "SELECT COUNT(*) FROM callback WHERE state = 'COMPLETED'")
awk -v n="$done_" -v s=$((server1 - server0)) -v p=$((pg1 - pg0)) -v x=$((xacts1 - xacts0)) -v t=$((ended - began)) \
  'BEGIN { printf "cost: %d COMPLETED in %d s (%.0f/s); CPU s per 1,000: server %.1f, PostgreSQL %.1f; transactions per callback %.2f\n",
    n, t, n / t, s / n * 10, p / n * 10, x / n }'
echo "load at the end: $(load_avg)"
[ -n "${JFR:-}" ] && jcmd "$SERVER_PID" JFR.dump name=soak filename="$(realpath -m "$JFR")" >/dev/null
if [ "$STATEMENTS" = true ]; then
  echo "statements per COMPLETED callback (pg_stat_statements, top 25):"
  pg_sql "$PG_URL" "SELECT to_char(calls::numeric / $done_, '990.99') || '  ' || left(regexp_replace(query, '\s+', ' ', 'g'), 150)
    FROM pg_stat_statements ORDER BY calls DESC LIMIT 25"
fi
echo "server log: $(grep -c ' ERROR ' "$WORK/server.log" || true) ERROR line(s), $(grep -c ' WARN ' "$WORK/server.log" || true) WARN line(s)"
