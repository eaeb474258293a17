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
WORK=${WORK:-target/soak}
rm -rf "$WORK"
mkdir -p "$WORK"
bench_build
PG_DURABLE=${PG_DURABLE:-false} start_postgres "$WORK/pg"
port=$(free_port)
JAVA_OPTS=${JAVA_OPTS:--Xmx512m} start_server "$port" "$WORK/server.log" --config bench/soak.yaml \
  --data-dir "$WORK/data" --db-url "$PG_URL" --node-id soak
wait_ready "$port"
echo "soak: $TOTAL callbacks, $CLIENTS clients, server pid $SERVER_PID, port $port"
timeout "${MAX_MINUTES}m" java -Xmx256m -cp "$BENCH_CP" org.opencallback.bench.SoakDriver \
  "http://127.0.0.1:$port" "$SERVER_PID" "$PG_URL" "$TOTAL" "$CLIENTS" "$WORK/pg" "$WORK/data"
echo "server log: $(grep -c ' ERROR ' "$WORK/server.log" || true) ERROR line(s), $(grep -c ' WARN ' "$WORK/server.log" || true) WARN line(s)"
