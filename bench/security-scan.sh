#!/usr/bin/env bash
# Security scan (issue 15): Debian's sqlmap (SQL injection) and wapiti (injections, XSS, CRLF, files,
# redirects…) against a server this script starts on 127.0.0.1 with an H2 store (bench/security-scan.yaml).
# Loopback only: the server listens on 127.0.0.1 and every scanner target is http://127.0.0.1:PORT.
# Installs sqlmap and wapiti with apt-get when missing. Bounded in time: each scanner run has its own
# timeout and the whole scan stops after TOTAL seconds (600). Not part of ./mvnw verify (too slow).
# Scanned: start (JSON body), lookup by customer number and by a lookup key, read by id, history,
# update (PUT), cancel, check-queue-position, availability v1/v2, the number service, and the admin
# API (queues, watermarks, cancel, forget) with the admin's Basic credentials; wapiti crawls from the
# UI and those URLs. Writes target/security-scan/summary.txt (and each tool's raw output beside it).
# Env: TOTAL (600), SKIP_BUILD=1 (reuse target/opencallback.jar), SQLMAP_LEVEL (2), SQLMAP_RISK (1).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
TOTAL=${TOTAL:-600}
SQLMAP_LEVEL=${SQLMAP_LEVEL:-2}
SQLMAP_RISK=${SQLMAP_RISK:-1}
OUT=target/security-scan
START=$SECONDS

missing=()
command -v sqlmap >/dev/null || missing+=(sqlmap)
command -v wapiti >/dev/null || missing+=(wapiti)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt-get)"
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -DskipTests package
fi
[ -f target/opencallback.jar ] || { echo "build first (unset SKIP_BUILD)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/data"
trap bench_cleanup EXIT

PASSWORD="scan-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
HASH=$(java -jar target/opencallback.jar hash-password "$PASSWORD" | tail -1)
{ cat bench/security-scan.yaml; printf 'users:\n  admin: "%s"\n' "$HASH"; } > "$OUT/opencallback.yaml"
PORT=$(free_port)
start_server "$PORT" "$OUT/server.log" --config "$OUT/opencallback.yaml" --data-dir "$OUT/data"
wait_ready "$PORT" 120
BASE="http://127.0.0.1:$PORT"
SVC="$BASE/genesys/1/service/callback/Scan"
ADMIN="$BASE/genesys/1/admin/callback"
AUTH=(--auth-type Basic --auth-cred "admin:$PASSWORD")
TOMORROW=$(date -u -d tomorrow +%Y-%m-%dT10:00:00.000Z)

# a stored callback, so that read/update/cancel/history reach the store
ID=$(curl -fs -H 'Content-Type: application/json' \
  -d "{\"_customer_number\":\"+15551230001\",\"_desired_time\":\"$TOMORROW\",\"CB_ACCOUNT\":\"A1\"}" "$SVC" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["_id"])')
echo "server on $BASE (pid $SERVER_PID), callback $ID"

left() { echo $((TOTAL - (SECONDS - START))); }

# sqlmap TARGET-NAME ARGS…: one sqlmap run, bounded by what is left (at most 120 s each)
sqlmap_run() {
  local name=$1 budget
  shift
  budget=$(left)
  [ "$budget" -gt 20 ] || { echo "$name: skipped (time is up)" >> "$OUT/sqlmap-skipped.txt"; return 0; }
  [ "$budget" -gt 120 ] && budget=120
  timeout "$budget" sqlmap --batch --flush-session --disable-coloring --level "$SQLMAP_LEVEL" --risk "$SQLMAP_RISK" \
    --output-dir "$OUT/sqlmap" --timeout 10 --retries 1 --threads 2 "$@" > "$OUT/sqlmap-$name.txt" 2>&1 || true
}

JSON=(-H "Content-Type: application/json")
sqlmap_run start -u "$SVC" --method POST "${JSON[@]}" \
  --data "{\"_customer_number\":\"+15551230002\",\"_desired_time\":\"$TOMORROW\",\"CB_ACCOUNT\":\"A2\",\"note\":\"n\"}"
sqlmap_run lookup -u "$SVC?_customer_number=%2B15551230001&CB_ACCOUNT=A1"
sqlmap_run lookup-all -u "$BASE/genesys/1/service/callback?_customer_number=%2B15551230001&_id=$ID"
sqlmap_run read -u "$SVC/$ID*"
sqlmap_run history -u "$SVC/$ID*/history"
sqlmap_run update -u "$SVC/$ID" --method PUT "${JSON[@]}" --data '{"note":"changed","CB_ACCOUNT":"A1"}'
sqlmap_run position -u "$BASE/genesys/1/service/$ID*/check-queue-position"
sqlmap_run availability -u "$BASE/genesys/2/service/callback/Scan/availability?start=$TOMORROW&number-of-days=1&max-time-slots=5"
sqlmap_run admin-queues -u "$ADMIN/queues?service_name=Scan&_customer_number=%2B15551230001" "${AUTH[@]}"
sqlmap_run admin-cancel -u "$ADMIN/cancel" --method POST "${JSON[@]}" "${AUTH[@]}" \
  --data '{"service_name":"Scan","_customer_number":"+15559999999"}'
sqlmap_run admin-forget -u "$ADMIN/ops/delete" --method POST "${JSON[@]}" "${AUTH[@]}" \
  --data '{"_customer_number":"+15559999998"}'

budget=$(left)
if [ "$budget" -gt 30 ]; then
  timeout "$budget" wapiti -u "$BASE/" --scope domain --flush-session -v 0 -f txt -o "$OUT/wapiti.txt" \
    --max-scan-time $((budget - 10)) --max-attack-time 60 \
    -s "$BASE/ui/" -s "$SVC?_customer_number=%2B15551230001" -s "$SVC/$ID" -s "$SVC/$ID/history" \
    -s "$BASE/genesys/1/service/callback?_id=$ID" -s "$BASE/genesys/1/phonenumber?number=%2B15551230001" \
    -s "$BASE/genesys/2/service/callback/Scan/availability?start=$TOMORROW" \
    > "$OUT/wapiti-run.txt" 2>&1 || true
else
  echo "wapiti: skipped (time is up)" > "$OUT/wapiti-run.txt"
fi

# summary: what sqlmap called injectable, what wapiti reported, any 500 the server answered
{
  echo "security scan of $BASE ($(date -u +%FT%TZ)), $((SECONDS - START)) s in all"
  echo "sqlmap $(sqlmap --version 2>/dev/null | tail -1), level $SQLMAP_LEVEL risk $SQLMAP_RISK:"
  for file in "$OUT"/sqlmap-*.txt; do
    name=$(basename "$file" .txt)
    [ "$name" = sqlmap-skipped ] && continue
    if grep -qE "sqlmap identified the following injection point|is vulnerable\." "$file"; then
      echo "  $name: FOUND an injection (see $file)"
    elif grep -qE "all tested parameters do not appear to be injectable" "$file"; then
      echo "  $name: nothing found, every parameter tested"
    elif grep -qE "does not seem to be injectable" "$file"; then
      echo "  $name: nothing found in $(grep -c 'does not seem to be injectable' "$file") parameter(s); run cut short by its time bound"
    else
      echo "  $name: inconclusive: $(grep -E '\[(CRITICAL|ERROR)\]' "$file" | tail -1 | cut -c1-160)"
    fi
  done
  [ -f "$OUT/sqlmap-skipped.txt" ] && echo "  not scanned (time bound): $(cut -d: -f1 "$OUT/sqlmap-skipped.txt" | tr '\n' ' ')"
  echo "wapiti $(dpkg-query -W -f '${Version}' wapiti 2>/dev/null):"
  if [ -f "$OUT/wapiti.txt" ]; then
    python3 - "$OUT/wapiti.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
# wapiti's text report: a "Summary of vulnerabilities" table of "<category> : <count>" lines
found = [(name.strip(), int(count)) for name, count in re.findall(r"^\s*([^:\n]+?)\s*:\s*(\d+)\s*$", text, re.M)]
hits = [(n, c) for n, c in found if c > 0]
print("  categories checked: %d, with findings: %s" % (len(found), ", ".join("%s (%d)" % h for h in hits) or "none"))
PY
  else
    echo "  no report: $(tail -3 "$OUT/wapiti-run.txt" | tr '\n' ' ')"
  fi
  echo "server: $(grep -c ' 500 ' "$OUT/server.log" || true) access-log lines with status 500," \
    "$(grep -c 'ERROR' "$OUT/server.log" || true) ERROR lines"
} | tee "$OUT/summary.txt"
