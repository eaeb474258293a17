#!/usr/bin/env bash
# Clock skew in a cluster (issue 16): two real nodes (target/opencallback.jar) on one PostgreSQL
# (bench/BenchPostgres), node "ahead" started under Debian faketime with its clock SKEW ahead
# (`faketime -f +20s java -jar …`), node "right" on the machine's clock; lease 3 s, heartbeat 300 ms
# (bench/clock-skew.yaml). COUNT callbacks are created: half immediate (alternating nodes), half
# falling due over the next 3…15 s (created on "right"). For DURATION seconds (at least 10 leases)
# both run; then the script checks, in the database and the logs:
#  * each node's row kept its instance (nobody was taken over and joined again), both leases fresh;
#  * no "Took over", "fenced" or "suspended" line in either log;
#  * every callback COMPLETED, each history exactly [SCHEDULED] QUEUED ROUTING PROCESSING COMPLETED
#    (never dialled twice, never queued again).
# Loopback only; bounded in time (each wait has a limit). Ends with "RESULT …"; exit 1 on a failed
# check. Env: SKEW (+20s), COUNT (60), DURATION (40), JAVA_OPTS (-Xmx256m), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SKEW=${SKEW:-+20s}
COUNT=${COUNT:-60}
DURATION=${DURATION:-40}
command -v faketime >/dev/null || { echo "faketime not found: apt-get install faketime" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql not found: apt-get install postgresql-client" >&2; exit 1; }
bench_build
WORK=$(mktemp -d /tmp/opencallback-skew.XXXXXX)
trap 'bench_cleanup; rm -rf "$WORK/pgdata"' EXIT
start_postgres "$WORK"
PG_PORT=$(echo "$PG_URL" | sed -E 's#.*://[^:/]+:([0-9]+)/.*#\1#')
sql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench -AtX -c "$1"; }
cp bench/clock-skew.yaml "$WORK/opencallback.yaml"

RIGHT=$(free_port)
start_server "$RIGHT" "$WORK/right.log" --config "$WORK/opencallback.yaml" --db-url "$PG_URL" --node-id right
wait_ready "$RIGHT"
AHEAD=$(free_port)
faketime -f "$SKEW" java ${JAVA_OPTS:--Xmx256m} -jar target/opencallback.jar --port "$AHEAD" --host 127.0.0.1 \
  --config "$WORK/opencallback.yaml" --db-url "$PG_URL" --node-id ahead >"$WORK/ahead.log" 2>&1 &
FAKETIME_PID=$!
# faketime runs java as its child: stop java itself (first), then faketime
for i in $(seq 1 50); do
  JAVA_PID=$(pgrep -P "$FAKETIME_PID" java || true)
  [ -n "$JAVA_PID" ] && break
  sleep 0.1
done
[ -n "$JAVA_PID" ] || { echo "java under faketime did not start" >&2; exit 1; }
BENCH_PIDS=("$JAVA_PID" "$FAKETIME_PID" "${BENCH_PIDS[@]}")
wait_ready "$AHEAD"

# the skew as the nodes see it: the Date header of each (HTTP dates are whole seconds)
date_of() { curl -fsS -o /dev/null -D - "http://127.0.0.1:$1/health/live" | awk -F': ' 'tolower($1)=="date"{print $2}' | tr -d '\r'; }
SEEN=$(( $(date -d "$(date_of "$AHEAD")" +%s) - $(date -d "$(date_of "$RIGHT")" +%s) ))
echo "== node ahead answers with a Date ${SEEN} s after node right's"
INSTANCES_BEFORE=$(sql "SELECT node_id || '=' || instance FROM node ORDER BY node_id" | tr '\n' ' ')

START=$(date +%s)
now_ms=$(date +%s%3N)
for i in $(seq 1 "$COUNT"); do
  number=$(printf '+1617555%04d' "$((4000 + i))")
  if [ $((i % 2)) = 0 ]; then
    port=$([ $((i % 4)) = 0 ] && echo "$RIGHT" || echo "$AHEAD")
    body="{\"_customer_number\":\"$number\"}"
  else
    port=$RIGHT
    due=$(date -u -d "@$(( (now_ms + 3000 + 12000 * i / COUNT) / 1000 ))" +%Y-%m-%dT%H:%M:%S.000Z)
    body="{\"_customer_number\":\"$number\",\"_desired_time\":\"$due\"}"
  fi
  curl -fsS -m 10 -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$port/genesys/1/service/callback/S" >/dev/null
done
echo "== $COUNT callbacks created; running until $DURATION s have passed"
while [ $(( $(date +%s) - START )) -lt "$DURATION" ]; do sleep 1; done
for i in $(seq 1 60); do
  [ "$(sql "SELECT COUNT(*) FROM callback WHERE state <> 'COMPLETED'")" = 0 ] && break
  sleep 1
done

FAILED=0
check() { if [ "$2" != "$3" ]; then echo "FAILED: $1: $2 (expected $3)"; FAILED=1; else echo "ok: $1: $2"; fi; }
INSTANCES_AFTER=$(sql "SELECT node_id || '=' || instance FROM node ORDER BY node_id" | tr '\n' ' ')
check "node instances unchanged" "$([ "$INSTANCES_BEFORE" = "$INSTANCES_AFTER" ] && echo yes || echo "no: $INSTANCES_BEFORE -> $INSTANCES_AFTER")" yes
STALE=$(sql "SELECT COUNT(*) FROM node WHERE heartbeat_at < CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT) - 3000")
check "nodes with a stale lease" "$STALE" 0
EVICTIONS=$(cat "$WORK/right.log" "$WORK/ahead.log" | grep -cE 'Took over|fenced|suspended|joined the cluster again' || true)
check "take-over / fence lines in the logs" "$EVICTIONS" 0
check "callbacks" "$(sql "SELECT COUNT(*) FROM callback")" "$COUNT"
check "callbacks not COMPLETED" "$(sql "SELECT COUNT(*) FROM callback WHERE state <> 'COMPLETED'")" 0
WRONG=$(sql "SELECT COUNT(*) FROM (SELECT callback_id, string_agg(state, ' ' ORDER BY seq) AS h
  FROM callback_history GROUP BY callback_id) x
  WHERE h NOT IN ('QUEUED ROUTING PROCESSING COMPLETED', 'SCHEDULED QUEUED ROUTING PROCESSING COMPLETED')")
check "histories other than [SCHEDULED] QUEUED ROUTING PROCESSING COMPLETED" "$WRONG" 0
check "histories reaching PROCESSING twice" "$(sql "SELECT COUNT(*) FROM (SELECT callback_id FROM callback_history
  WHERE state = 'PROCESSING' GROUP BY callback_id HAVING COUNT(*) > 1) x")" 0
BY_NODE=$(sql "SELECT COALESCE(owner_node, '-') || '=' || COUNT(*) FROM callback GROUP BY owner_node ORDER BY 1" | tr '\n' ' ')
echo "RESULT skew=$SKEW seen_skew_s=$SEEN callbacks=$COUNT seconds=$(( $(date +%s) - START )) evictions=$EVICTIONS stale=$STALE wrong_histories=$WRONG owners=\"$BY_NODE\" failed=$FAILED"
echo "logs: $WORK"
exit "$FAILED"
