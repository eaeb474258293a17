#!/usr/bin/env bash
# Crash under create load (issue 10, reliability 1): wrk creates scheduled callbacks and records every
# id answered 200; after KILL_AFTER seconds the server gets SIGKILL; it is restarted on the same data
# directory and every recorded id must be stored, SCHEDULED, whole, with one history entry.
# Env: KILL_AFTER (8), CONNECTIONS (64), PORT (18091), SKIP_BUILD=1, ROUNDS (1).
set -euo pipefail
cd "$(dirname "$0")/.."
KILL_AFTER=${KILL_AFTER:-8}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18091}
ROUNDS=${ROUNDS:-1}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -DskipTests package
fi
WORK=$(mktemp -d /tmp/opencallback-crash.XXXXXX)
cp bench/bench.yaml "$WORK/opencallback.yaml"
start_server() {
  java -Xmx512m -jar target/opencallback.jar --config "$WORK/opencallback.yaml" --port "$PORT" \
    --host 127.0.0.1 --data-dir "$WORK/data" >> "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  echo "server did not start" >&2; exit 1
}
trap 'kill $SERVER 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT/genesys/1/service/callback/Bench"
for round in $(seq 1 "$ROUNDS"); do
  start_server
  mkdir -p "$WORK/ids-$round"
  IDS_DIR="$WORK/ids-$round" CREATE_OFFSET=$((round * 1000000)) WRK_THREADS=2 \
    wrk -t2 -c"$CONNECTIONS" -d$((KILL_AFTER + 4))s -s bench/create-record.lua "$URL" > "$WORK/wrk-$round.txt" 2>&1 &
  WRK=$!
  sleep "$KILL_AFTER"
  kill -9 "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  echo "round $round: SIGKILL after ${KILL_AFTER}s of load ($(cat "$WORK"/ids-$round/*.txt | wc -l) ids answered 200 so far)"
  wait "$WRK" || true
done
start_server
python3 bench/check_ids.py "$PORT" Bench "$WORK"/ids-*/*.txt
# nothing half-written: stop the server, then read the database itself
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
sql() {
  java -cp target/opencallback.jar org.h2.tools.Shell -url "jdbc:h2:file:$WORK/data/opencallback" \
    -user "" -password "" -sql "$1" 2>&1 | tail -2 | head -1 | tr -d ' '
}
ACKED=$(cat "$WORK"/ids-*/*.txt | wc -l)
STORED=$(sql "SELECT COUNT(*) FROM callback WHERE service='Bench' AND state='SCHEDULED'")
BOOKED=$(sql "SELECT COALESCE(SUM(taken),0) FROM booking_count WHERE service='Bench'")
NO_HISTORY=$(sql "SELECT COUNT(*) FROM callback c WHERE NOT EXISTS (SELECT 1 FROM callback_history h WHERE h.callback_id = c.id)")
NO_KEYS=$(sql "SELECT COUNT(*) FROM callback c WHERE NOT EXISTS (SELECT 1 FROM callback_key k WHERE k.callback_id = c.id)")
ORPHANS=$(sql "SELECT (SELECT COUNT(*) FROM callback_history h WHERE NOT EXISTS (SELECT 1 FROM callback c WHERE c.id = h.callback_id)) + (SELECT COUNT(*) FROM callback_key k WHERE NOT EXISTS (SELECT 1 FROM callback c WHERE c.id = k.callback_id))")
echo "stored SCHEDULED: $STORED (acknowledged: $ACKED; more means committed but the 200 was lost in the crash)"
echo "booked places (booking_count): $BOOKED; callbacks without history: $NO_HISTORY; without lookup keys: $NO_KEYS; orphan rows: $ORPHANS"
if [ "$STORED" -lt "$ACKED" ] || [ "$BOOKED" != "$STORED" ] || [ "$NO_HISTORY" != 0 ] || [ "$NO_KEYS" != 0 ] || [ "$ORPHANS" != 0 ]; then
  echo "FAILED: inconsistent store"; exit 1
fi
echo "OK: every acknowledged callback is stored whole; counts and history agree"
echo "data and logs: $WORK"
