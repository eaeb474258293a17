# Shared by the bench/*.sh scripts (sourced, not run). Every process a script starts is recorded in
# BENCH_PIDS and stopped (SIGTERM, then waited for) by bench_cleanup, which the scripts trap on EXIT.
BENCH_PIDS=()

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}

# A TCP port nobody listens on now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Builds the jar, the test classes (seeder, PostgreSQL, watcher) and target/cp.txt unless SKIP_BUILD=1.
bench_build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    ./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
  fi
  [ -f target/opencallback.jar ] && [ -f target/cp.txt ] || { echo "build first (unset SKIP_BUILD)" >&2; exit 1; }
  BENCH_CP="target/test-classes:target/classes:$(cat target/cp.txt)"
}

# bench_java MAINCLASS ARGS…: runs a bench tool from the test classes in the foreground.
bench_java() {
  java ${TOOL_JAVA_OPTS:--Xmx2g} -cp "$BENCH_CP" "$@"
}

# wait_ready PORT [SECONDS]: waits until GET /health/ready answers 200.
wait_ready() {
  local port=$1 limit=${2:-180} i
  for i in $(seq 1 $((limit * 2))); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "server on port $port not ready after ${limit}s" >&2
  return 1
}

# start_server PORT LOG ARGS…: starts the jar (JAVA_OPTS, default -Xmx512m) in the background;
# its pid is in SERVER_PID and BENCH_PIDS.
start_server() {
  local port=$1 log=$2
  shift 2
  java ${JAVA_OPTS:--Xmx512m} -jar target/opencallback.jar --port "$port" --host 127.0.0.1 "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  BENCH_PIDS+=("$SERVER_PID")
}

# start_postgres DIR: embedded PostgreSQL (bench/BenchPostgres) in DIR; its JDBC URL in PG_URL.
start_postgres() {
  local dir=$1
  mkdir -p "$dir"
  java -Xmx128m -Dbench.pg.durable="${PG_DURABLE:-true}" ${PG_OPTS:-} -cp "$BENCH_CP" org.opencallback.bench.BenchPostgres \
    "$dir/pgdata" "$dir/pg.url" >"$dir/postgres.log" 2>&1 &
  PG_PID=$!
  BENCH_PIDS+=("$PG_PID")
  local i
  for i in $(seq 1 240); do
    [ -f "$dir/pg.url" ] && break
    kill -0 "$PG_PID" 2>/dev/null || { cat "$dir/postgres.log" >&2; echo "PostgreSQL did not start" >&2; return 1; }
    sleep 0.5
  done
  PG_URL=$(cat "$dir/pg.url")
}

# stop_pid PID: SIGTERM and wait (a server exits within 10 s, PostgreSQL on its shutdown hook).
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${BENCH_PIDS[@]}"; do
    [ "$pid" != "$1" ] && kept+=("$pid")
  done
  BENCH_PIDS=("${kept[@]}")
}

# heap_after_gc PID: MB of heap in use after a full GC (jcmd GC.run, then GC.heap_info).
heap_after_gc() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/ used /{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/K,?/,"",v); printf "%d", v/1024; exit}}'
}

# wrk_field FILE NAME: a value from the "WRK …" line bench/*.lua print when wrk is done.
wrk_field() {
  { grep -E '^WRK ' "$1" || true; } | tail -1 | tr ' ' '\n' | awk -F= -v k="$2" '$1==k{print $2}'
}

load_avg() {
  cut -d' ' -f1-3 /proc/loadavg
}

# cpu_ticks PID: clock ticks (1/100 s) of CPU used by PID and every process under it, user + system,
# reaped children included (PostgreSQL's backends).
cpu_ticks() {
  local pids=("$1") i=0 child total=0 line
  while [ $i -lt ${#pids[@]} ]; do
    for child in $(pgrep -P "${pids[$i]}" || true); do pids+=("$child"); done
    i=$((i + 1))
  done
  for i in "${pids[@]}"; do
    line=$(sed 's/^.*) //' "/proc/$i/stat" 2>/dev/null) || continue
    set -- $line
    total=$((total + ${12} + ${13} + ${14} + ${15}))
  done
  echo "$total"
}

# pg_sql URL SQL: one value from PostgreSQL at a JDBC URL (psql, unaligned, no header).
pg_sql() {
  local url=${1#jdbc:} sql=$2
  url=${url%%\?*}
  psql -X -A -t -q "${url}?user=postgres" -c "$sql"
}

# thread_cpu PID: CPU seconds (user, system) of a JVM's threads grouped by name with trailing digits
# dropped (Jetty's pool, the engine's timer, C2 compiler, GC…), largest first.
thread_cpu() {
  local t hz
  hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    # the thread name may hold spaces: fields 14 and 15 (utime, stime) are counted after its ")"
    printf '%s\t%s\n' "$(sed 's/[0-9#-]*$//' "$t/comm" 2>/dev/null)" "$(sed 's/.*) //' "$t/stat" 2>/dev/null | cut -d' ' -f12,13)"
  done | awk -F'\t' -v hz="$hz" '{ split($2, c, " "); u[$1] += c[1]; s[$1] += c[2] }
    END { for (k in u) if (u[k] + s[k] > 0) printf "%8.1f %8.1f  %s\n", u[k] / hz, s[k] / hz, k }' | sort -rn
}
