#!/usr/bin/env bash
# move-store at COUNT callbacks (issue 18, the upgrade path; docs/upgrading.md, docs/benchmarks.md):
#  1. SeedCallbacks fills an H2 data directory with COUNT callbacks (5 services, SCHEDULED ahead and
#     COMPLETED behind, their keys, history and booking counts). SEEDED=DIR reuses an earlier seed
#     (DIR/data holds opencallback.mv.db; it is only read).
#  2. Times `java -Xmx512m -jar target/opencallback.jar move-store --from H2 --to TARGET`, whose
#     own verification compares every moved table's row count and checksum; peak RSS from /usr/bin/time.
#  3. An independent check of the target's callbacks: a second move into it must be refused, naming
#     as many callbacks as the first one moved ("the target is not empty: table callback holds N row(s)").
# TARGET: h2 (default: a second H2 file), postgresql (embedded PostgreSQL, bench/BenchPostgres), sqlite
# (the upgrade of an embedded installation, docs/upgrading.md: the seeded data directory is copied, not
# timed, and `move-store --data-dir COPY` moves its H2 store into COPY/opencallback.sqlite).
# Ends with one "RESULT name=value …" line. Env: COUNT (1000000), SEEDED, TARGET, JAVA_OPTS (-Xmx512m),
# SKIP_BUILD=1, KEEP=1 (keep the work directory).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COUNT=${COUNT:-1000000}
SEEDED=${SEEDED:-}
TARGET=${TARGET:-h2}
bench_build
WORK=$(mktemp -d /tmp/opencallback-move.XXXXXX)
trap 'bench_cleanup; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
echo "== load average: $(load_avg)"
if [ -z "$SEEDED" ]; then
  SEEDED=$WORK/seed
  echo "== seeding $COUNT callbacks into $SEEDED/data (KEEP=1 keeps it; reuse with SEEDED=$SEEDED)"
  bench_java org.opencallback.bench.SeedCallbacks --data-dir "$SEEDED/data" --count "$COUNT" | tee "$WORK/seed.log"
fi
FROM="jdbc:h2:file:$SEEDED/data/opencallback"
case "$TARGET" in
  h2) TO="jdbc:h2:file:$WORK/target/opencallback" ;;
  postgresql) start_postgres "$WORK/pg"; TO=$PG_URL ;;
  sqlite) cp -r "$SEEDED/data" "$WORK/target" ;;
  *) echo "TARGET must be h2, postgresql or sqlite" >&2; exit 2 ;;
esac
# move-store's arguments: two URLs, or the data directory (its H2 store into its SQLite file)
if [ "$TARGET" = sqlite ]; then MOVE=(--data-dir "$WORK/target"); else MOVE=(--from "$FROM" --to "$TO"); fi
echo "== source $(du -sh "$SEEDED/data" | cut -f1); moving to $TARGET: move-store ${MOVE[*]}"
start=$(date +%s.%N)
set +e
/usr/bin/time -v -o "$WORK/time.txt" java ${JAVA_OPTS:--Xmx512m} -jar target/opencallback.jar move-store \
  "${MOVE[@]}" | tee "$WORK/move.log"
code=${PIPESTATUS[0]}
set -e
seconds=$(echo "$(date +%s.%N) - $start" | bc)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
[ "$code" = 0 ] || { echo "move-store failed with exit code $code" >&2; exit 1; }
grep -q "row counts and checksums identical" "$WORK/move.log"
echo "== independent count: a second move into the same target must be refused naming its callbacks"
again=$(java -Xmx256m -jar target/opencallback.jar move-store "${MOVE[@]}" 2>&1 || true)
echo "$again"
moved=$(sed -n 's/^moved \([0-9]*\) callback.*/\1/p' "$WORK/move.log")
echo "$again" | grep -q "table callback holds $moved row(s)"
case "$TARGET" in
  h2) target_size=$(du -sh "$WORK/target" | cut -f1) ;;
  sqlite) target_size=$(du -sh "$WORK/target/opencallback.sqlite" | cut -f1) ;;
  *) target_size=n/a ;;
esac
echo "RESULT target=$TARGET callbacks=$moved seconds=$seconds rate=$(echo "$moved / $seconds" | bc)" \
  "peak_rss_mb=$((rss_kb / 1024)) target_size=$target_size load=$(load_avg | tr ' ' ',')"
