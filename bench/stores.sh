#!/usr/bin/env bash
# H2, SQLite and PostgreSQL side by side in one session (issue 18, part 4; docs/benchmarks.md "Three
# stores side by side"). For each STORE, one after the other, the phases in PHASES, each on a fresh
# copy or a fresh store:
#  seed     SeedCallbacks writes COUNT callbacks (as bench/query-load.sh: 5 services, unique numbers,
#           SCHEDULED ahead, COMPLETED behind): seconds, and the store's size on disk afterwards (the
#           data directory; PostgreSQL: pg_database_size). query and index need it (run with them).
#  query    the jar in -Xmx512m (bench/query.yaml) on a copy of the seed: seconds from launch to
#           /health/ready (no migration); then for each rate in RATES, GET …/callback/SVC/ID and the
#           GMS lookup GET …/callback/SVC?_customer_number=… paced at that rate (bench/query-paced.lua,
#           QUERY_CONNECTIONS connections): achieved rate, p50/p99/max; /health/live flat out (ceiling).
#  index    IndexBenchmark on a copy of the seed: CREATE INDEX on callback, the statistics refresh
#           (SQLite: the store's PRAGMA optimize; H2, PostgreSQL: ANALYZE), DROP INDEX.
#  migrate  SeedCallbacks writes COUNT callbacks at schema version MIGRATE_FROM (9: before V10, V10.1,
#           V12, V13), then the jar starts on them: seconds from launch to /health/ready, which includes
#           the migrations (compare query's start_s, the same start without them).
#  create   the jar (bench/bench.yaml) on an empty store: creates at CONNECTIONS and LIGHT_CONNECTIONS
#           (bench/create-report.lua, as bench/create-load.sh) and /health/live flat out; the ratio of
#           creates to that ceiling; the store's size afterwards.
#  dispatch DispatchBenchmark DISPATCH_COUNT DISPATCH_LEAD 0 builtin on an empty store: the burst rate.
# Prints "RESULT store=… key=value …" per store and a Markdown table (one column per store) at the end.
# PostgreSQL: bench/BenchPostgres (embedded, durable unless PG_DURABLE=false), one database per phase.
# Loopback only. Env: COUNT (1000000), STORES (h2 sqlite postgresql), PHASES (seed query index migrate
# create dispatch), RATES (200 1000), DURATION (30s), WARMUP (10s), QUERY_CONNECTIONS (32), CONNECTIONS
# (64), LIGHT_CONNECTIONS (4), THREADS (2), MIGRATE_FROM (9), DISPATCH_COUNT (100000), DISPATCH_LEAD
# (420), JAVA_OPTS (-Xmx512m), WRK_TIMEOUT (10s), SKIP_BUILD=1, KEEP=1 (keep seeds and copies).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COUNT=${COUNT:-1000000}
STORES=${STORES:-h2 sqlite postgresql}
PHASES=${PHASES:-seed query index migrate create dispatch}
RATES=${RATES:-200 1000}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
QUERY_CONNECTIONS=${QUERY_CONNECTIONS:-32}
CONNECTIONS=${CONNECTIONS:-64}
LIGHT_CONNECTIONS=${LIGHT_CONNECTIONS:-4}
THREADS=${THREADS:-2}
MIGRATE_FROM=${MIGRATE_FROM:-9}
DISPATCH_COUNT=${DISPATCH_COUNT:-100000}
DISPATCH_LEAD=${DISPATCH_LEAD:-420}
# wrk leaves requests slower than its timeout (2 s by default) out of the latencies: 10 s keeps them in
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
for s in $STORES; do
  case "$s" in h2 | sqlite | postgresql) ;; *) echo "STORES: h2, sqlite, postgresql; not $s" >&2; exit 2 ;; esac
done
for p in $PHASES; do
  case "$p" in seed | query | index | migrate | create | dispatch) ;; *) echo "unknown phase $p" >&2; exit 2 ;; esac
done
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
bench_build
WORK=$(mktemp -d /tmp/opencallback-stores.XXXXXX)
# the stores go at the end (logs and wrk outputs stay); bench_cleanup stops PostgreSQL before its data goes
trap 'bench_cleanup; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"/*/{seed,query,index,old,creates,pg/pgdata}' EXIT
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

# results: RES[store.key]; KEYS in the order first reported (the table's rows)
declare -A RES
KEYS=()
put() { # STORE KEY VALUE
  [[ " ${KEYS[*]} " == *" $2 "* ]] || KEYS+=("$2")
  RES[$1.$2]=$3
}

# embedded_url STORE DIR: the URL the server opens for that store in a data directory (Database.embeddedUrl)
embedded_url() {
  case "$1" in
    h2) echo "jdbc:h2:file:$2/opencallback;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" ;;
    sqlite) echo "jdbc:sqlite:$2/opencallback.sqlite" ;;
  esac
}

# store_at STORE NAME: prepares an empty store NAME (a data directory $SW/NAME, or a PostgreSQL
# database NAME; with FROM_SEED=1 a copy of the seed) and sets URL and SERVER_ARGS (the jar's store arguments)
store_at() {
  local store=$1 name=$2
  if [ "$store" = postgresql ]; then
    if [ "${FROM_SEED:-0}" = 1 ]; then
      pg_sql "$PG_URL" "CREATE DATABASE $name TEMPLATE seed"
    else
      pg_sql "$PG_URL" "CREATE DATABASE $name"
    fi
    URL=$(echo "$PG_URL" | sed "s|/bench?|/$name?|")
    SERVER_ARGS=(--db-url "$URL" --node-id bench1)
  else
    local dir=$SW/$name
    rm -rf "$dir"
    if [ "${FROM_SEED:-0}" = 1 ]; then cp -r "$SW/seed" "$dir"; else mkdir -p "$dir"; fi
    URL=$(embedded_url "$store" "$dir")
    SERVER_ARGS=(--data-dir "$dir" --db-url "$URL")
  fi
}

# drop_store STORE NAME: removes what store_at made (unless KEEP=1)
drop_store() {
  [ "${KEEP:-0}" = 1 ] && return 0
  if [ "$1" = postgresql ]; then pg_sql "$PG_URL" "DROP DATABASE IF EXISTS $2"; else rm -rf "${SW:?}/$2"; fi
}

# size_mb STORE NAME: the store's size on disk in MB
size_mb() {
  if [ "$1" = postgresql ]; then
    local url
    url=$(echo "$PG_URL" | sed "s|/bench?|/$2?|")
    pg_sql "$url" "CHECKPOINT" >/dev/null
    pg_sql "$url" "SELECT pg_database_size('$2') / 1048576"
  else
    du -sm "$SW/$2" | cut -f1
  fi
}

# seed_into STORE NAME [ARGS…]: SeedCallbacks into store NAME (prepared by store_at); puts seed seconds in SEED_S
seed_into() {
  local store=$1 name=$2
  shift 2
  local target
  if [ "$store" = postgresql ]; then target=(--db-url "$URL"); else target=(--data-dir "$SW/$name" --store "$store"); fi
  bench_java org.opencallback.bench.SeedCallbacks "${target[@]}" --count "$COUNT" "$@" | tee "$SW/seed-$name.log"
  SEED_S=$(sed -n 's/^RESULT .*seconds=\([0-9.]*\).*/\1/p' "$SW/seed-$name.log")
}

# serve LOG CONFIG: starts the jar on SERVER_ARGS; READY_S = seconds from launch to /health/ready 200
serve() {
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  local start i
  start=$(date +%s.%N)
  start_server "$PORT" "$SW/$1" --config "$2" "${SERVER_ARGS[@]}"
  # a migration of 1,000,000 rows may take many minutes: up to an hour
  for i in $(seq 1 36000); do
    curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$SW/$1" >&2; echo "server exited" >&2; return 1; }
    [ "$i" = 36000 ] && { echo "server not ready after an hour" >&2; return 1; }
    sleep 0.1
  done
  READY_S=$(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f')
}

# wrk_run NAME ARGS…: wrk with the report line into $SW/NAME.txt, its summary on the terminal
wrk_run() {
  local name=$1
  shift
  wrk -t"$THREADS" --latency --timeout "$WRK_TIMEOUT" "$@" > "$SW/$name.txt"
  grep -E 'Requests/sec|Non-2xx|Socket errors|^WRK' "$SW/$name.txt"
  local non2xx errors
  non2xx=$(wrk_field "$SW/$name.txt" non2xx)
  errors=$(wrk_field "$SW/$name.txt" errors)
  ERRORS=$((ERRORS + ${non2xx:-0} + ${errors:-0}))
}

phase_seed() { # STORE
  echo "== [$1] seed: $COUNT callbacks"
  store_at "$1" seed
  seed_into "$1" seed --paths-dir "$SW/paths"
  put "$1" seed_s "$SEED_S"
  put "$1" size_after_seed_mb "$(size_mb "$1" seed)"
}

phase_query() { # STORE
  echo "== [$1] query: a copy of the seed, RATES=$RATES"
  FROM_SEED=1 store_at "$1" query
  cp bench/query.yaml "$SW/query.yaml"
  serve query-server.log "$SW/query.yaml"
  put "$1" start_s "$READY_S"
  local body
  body=$(curl -fsS "$BASE$(head -1 "$SW/paths/ids.txt")")
  [[ "$body" == *'"_id"'* ]] || { echo "GET by id found nothing: $body" >&2; exit 1; }
  body=$(curl -fsS "$BASE$(head -1 "$SW/paths/numbers.txt")")
  [[ "$body" == *'"_id"'* ]] || { echo "lookup found nothing: $body" >&2; exit 1; }
  echo "/health/live" > "$SW/health.txt"
  PATHS_FILE=$SW/paths/ids.txt wrk_run warm-id -c"$QUERY_CONNECTIONS" -d"$WARMUP" -s bench/query.lua "$BASE" >/dev/null
  PATHS_FILE=$SW/paths/numbers.txt wrk_run warm-number -c"$QUERY_CONNECTIONS" -d"$WARMUP" -s bench/query.lua "$BASE" >/dev/null
  local rate kind f
  for rate in $RATES; do
    for kind in id number; do
      f=$([ "$kind" = id ] && echo ids || echo numbers)
      echo "-- $kind at $rate/s, $QUERY_CONNECTIONS connections, $DURATION"
      RATE=$rate WRK_THREADS=$THREADS PATHS_FILE=$SW/paths/$f.txt \
        wrk_run "$kind-$rate" -c"$QUERY_CONNECTIONS" -d"$DURATION" -s bench/query-paced.lua "$BASE"
      put "$1" "${kind}_${rate}_rps" "$(wrk_field "$SW/$kind-$rate.txt" rps)"
      put "$1" "${kind}_${rate}_p50_ms" "$(wrk_field "$SW/$kind-$rate.txt" p50_ms)"
      put "$1" "${kind}_${rate}_p99_ms" "$(wrk_field "$SW/$kind-$rate.txt" p99_ms)"
      put "$1" "${kind}_${rate}_max_ms" "$(wrk_field "$SW/$kind-$rate.txt" max_ms)"
    done
  done
  echo "-- ceiling: /health/live flat out, $CONNECTIONS connections, $DURATION"
  PATHS_FILE=$SW/health.txt wrk_run query-ceiling -c"$CONNECTIONS" -d"$DURATION" -s bench/query.lua "$BASE"
  put "$1" query_ceiling_rps "$(wrk_field "$SW/query-ceiling.txt" rps)"
  stop_pid "$SERVER_PID"
  drop_store "$1" query
}

phase_index() { # STORE
  echo "== [$1] index: a copy of the seed"
  FROM_SEED=1 store_at "$1" index
  bench_java org.opencallback.bench.IndexBenchmark "$URL" | tee "$SW/index.log"
  local line
  line=$(grep '^RESULT ' "$SW/index.log")
  put "$1" index_s "$(echo "$line" | sed 's/.*index_s=\([^ ]*\).*/\1/')"
  put "$1" index_statistics_s "$(echo "$line" | sed 's/.*statistics_s=\([^ ]*\).*/\1/')"
  drop_store "$1" index
}

phase_migrate() { # STORE
  echo "== [$1] migrate: $COUNT callbacks at schema version $MIGRATE_FROM, then the server's start"
  store_at "$1" old
  seed_into "$1" old --schema-version "$MIGRATE_FROM"
  put "$1" migrate_seed_s "$SEED_S"
  cp bench/query.yaml "$SW/query.yaml"
  serve migrate-server.log "$SW/query.yaml"
  put "$1" migrate_start_s "$READY_S"
  stop_pid "$SERVER_PID"
  drop_store "$1" old
}

phase_create() { # STORE
  echo "== [$1] create: an empty store"
  store_at "$1" creates
  cp bench/bench.yaml "$SW/bench.yaml"
  serve create-server.log "$SW/bench.yaml"
  local url="$BASE/genesys/1/service/callback/Bench"
  CREATE_OFFSET=50000000 WRK_THREADS=$THREADS wrk_run create-warm -c"$CONNECTIONS" -d"$WARMUP" -s bench/create-report.lua "$url" >/dev/null
  echo "-- create, $CONNECTIONS connections, $DURATION"
  CREATE_OFFSET=0 WRK_THREADS=$THREADS wrk_run create-full -c"$CONNECTIONS" -d"$DURATION" -s bench/create-report.lua "$url"
  echo "-- create, $LIGHT_CONNECTIONS connections, $DURATION"
  CREATE_OFFSET=20000000 WRK_THREADS=$THREADS wrk_run create-light -c"$LIGHT_CONNECTIONS" -d"$DURATION" -s bench/create-report.lua "$url"
  echo "-- ceiling: /health/live flat out, $CONNECTIONS connections, $DURATION"
  echo "/health/live" > "$SW/health.txt"
  PATHS_FILE=$SW/health.txt wrk_run create-ceiling -c"$CONNECTIONS" -d"$DURATION" -s bench/query.lua "$BASE"
  local full light ceiling
  full=$(wrk_field "$SW/create-full.txt" rps)
  light=$(wrk_field "$SW/create-light.txt" rps)
  ceiling=$(wrk_field "$SW/create-ceiling.txt" rps)
  put "$1" create_rps "$full"
  put "$1" create_p99_ms "$(wrk_field "$SW/create-full.txt" p99_ms)"
  put "$1" create_light_rps "$light"
  put "$1" create_light_p99_ms "$(wrk_field "$SW/create-light.txt" p99_ms)"
  put "$1" create_ceiling_rps "$ceiling"
  if [ "${ceiling:-0}" -gt 0 ] 2>/dev/null; then
    put "$1" create_ratio_pct "$(echo "scale=1; 100 * ${full:-0} / $ceiling" | bc)"
  else
    put "$1" create_ratio_pct -
  fi
  put "$1" stored_after_creates "$(curl -fsS "$BASE/metrics" | awk '/^opencallback_callbacks_stored\{/{s+=$2} END{printf "%d", s}')"
  stop_pid "$SERVER_PID"
  put "$1" size_after_creates_mb "$(size_mb "$1" creates)"
  drop_store "$1" creates
}

phase_dispatch() { # STORE
  echo "== [$1] dispatch: $DISPATCH_COUNT due at once"
  local target=$1
  if [ "$1" = postgresql ]; then
    store_at "$1" dispatch
    target=$URL
  fi
  bench_java org.opencallback.bench.DispatchBenchmark "$DISPATCH_COUNT" "$DISPATCH_LEAD" 0 builtin "$target" \
    | tee "$SW/dispatch.log"
  local line
  line=$(grep '^RESULT ' "$SW/dispatch.log")
  put "$1" dispatch_burst_per_s "$(echo "$line" | sed 's/.*burst_rate_per_s=\([^ ]*\).*/\1/')"
  put "$1" dispatch_cpu_ms_per_1000 "$(echo "$line" | sed 's/.*cpu_ms_per_1000=\([^ ]*\).*/\1/')"
  put "$1" dispatch_p99_ms "$(echo "$line" | sed 's/.*p99_ms=\([^ ]*\).*/\1/')"
  [ "$1" = postgresql ] && drop_store "$1" dispatch
  return 0
}

echo "== work directory $WORK; load average: $(load_avg)"
for STORE in $STORES; do
  SW=$WORK/$STORE
  mkdir -p "$SW"
  ERRORS=0
  if [ "$STORE" = postgresql ]; then
    start_postgres "$SW/pg"
    echo "== PostgreSQL: $PG_URL (durable: ${PG_DURABLE:-true})"
  fi
  if has_phase seed || has_phase query || has_phase index; then
    phase_seed "$STORE"
    has_phase query && phase_query "$STORE"
    has_phase index && phase_index "$STORE"
    drop_store "$STORE" seed
  fi
  has_phase migrate && phase_migrate "$STORE"
  has_phase create && phase_create "$STORE"
  has_phase dispatch && phase_dispatch "$STORE"
  put "$STORE" errors "$ERRORS"
  put "$STORE" load "$(load_avg | tr ' ' ',')"
  [ "$STORE" = postgresql ] && stop_pid "$PG_PID"
  line="RESULT store=$STORE count=$COUNT"
  for key in "${KEYS[@]}"; do
    [[ -v "RES[$STORE.$key]" ]] && line+=" $key=${RES[$STORE.$key]}"
  done
  echo "$line" | tee -a "$WORK/results.txt"
done

echo
echo "COUNT=$COUNT RATES=\"$RATES\" DURATION=$DURATION PHASES=\"$PHASES\", $(date -u +%Y-%m-%dT%H:%MZ)"
echo
header="| measure |"
rule="| --- |"
for STORE in $STORES; do header+=" $STORE |"; rule+=" --- |"; done
echo "$header"
echo "$rule"
for key in "${KEYS[@]}"; do
  row="| $key |"
  for STORE in $STORES; do row+=" ${RES[$STORE.$key]:-–} |"; done
  echo "$row"
done
echo
echo "results: $WORK/results.txt; logs and wrk outputs: $WORK/<store>/"
