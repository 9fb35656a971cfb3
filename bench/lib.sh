# Helpers for bench/run.sh (sourced): the final table's rows and comparisons, the settlement
# queue, the raw 1-connection probe, CPU ticks of the gateway, PostgreSQL and stub from /proc, and
# psql on the run's database. They read run.sh's globals (WORK, RES, BASE, CP, JAVA, DUR, GW_PID,
# STUB_PID, HZ) when called.
# shellcheck shell=bash

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RES"; }
# yes/no for "$1 <= $2" (le) or "$1 >= $2" (ge); "?" if a figure is missing.
met() {
  awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
    if (a == "" || a == "-" || a == "?") { print "?"; exit }
    print ((op == "le" ? a + 0 <= b + 0 : a + 0 >= b + 0) ? "yes" : "no") }'
}
sub_ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "?"; else printf "%.3f", a - b }'; }
signed() { case "$1" in -*|"?") echo "$1" ;; *) echo "+$1" ;; esac; }
# ratio <a> <b> [decimals, default 2]. Give met() 6 decimals: x0.948 printed as x0.95 must still
# miss a ">= x0.95" target.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (a == "" || b == "" || b == 0) print "?"; else printf "%." d "f", a / b }'; }

# demo_gateway <provider> <port> <data dir> <log> <upstream> [VAR=value ...]: a demo-mode gateway
# with the bench tiers (bench/tiers.yaml: keys bench0..7) in the background, the given variables
# first, JVM options from GW_OPTS or GATEWAY_JAVA_OPTS (-Xmx512m); sets GW_PID and waits (at most
# 60 s) for its demo keys in the log.
demo_gateway() {
  local provider=$1 port=$2 data=$3 log=$4 upstream=$5
  shift 5
  # shellcheck disable=SC2086
  env "$@" GATEWAY_MODE=demo GATEWAY_PROVIDER="$provider" GATEWAY_PORT="$port" \
    GATEWAY_DATA_DIR="$data" GATEWAY_TIERS_FILE=bench/tiers.yaml \
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$upstream" AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    "$JAVA" ${GW_OPTS:-${GATEWAY_JAVA_OPTS:--Xmx512m}} -jar "$JAR" >"$log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 300); do grep -q 'Demo keys' "$log" && break; sleep 0.2; done
  sleep 0.5
}

# Deferred settlement: answered requests whose spend is not yet written. A run is only over when
# they are written, so throughput below counts that time (and its CPU) too.
queued() { curl -sf "$BASE/metrics" | awk '/^gateway_settlements_queued / {print int($2)}'; }
# Waits (at most 300 s) until the gateway has written every queued settlement; prints the seconds.
drain() {
  local start now q
  start=$(date +%s.%N)
  for _ in $(seq 3000); do q=$(queued); [ "${q:-0}" -eq 0 ] && break; sleep 0.1; done
  now=$(date +%s.%N)
  awk -v a="$start" -v b="$now" 'BEGIN {printf "%.1f", b - a}'
}

# Raw 1-connection percentiles (wrk's are inflated by its coordinated-omission correction; see
# LatencyProbe's Javadoc). Args: label, url, body, [keys]. Sets P50 and P99 (ms).
probe() {
  echo "-- $1, 1 connection, raw samples (LatencyProbe, ${DUR}s, first fifth warm-up):"
  local out
  out=$("$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.LatencyProbe "$2" "$DUR" "$3" "${4:-}")
  echo "$out"
  P50=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "p50") print $(i + 1)}')
  P99=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "p99") print $(i + 1)}')
}

# CPU ticks (user + system) of a process, plus those of its children that have exited.
ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_port() { sed -n 4p "$(find "$WORK/data" -name postmaster.pid 2>/dev/null | head -1)" 2>/dev/null; }
# The embedded PostgreSQL of this run: its postmaster and every backend under it.
pg_ticks() {
  local pm t=0 c
  pm=$(head -1 "$(find "$WORK/data" -name postmaster.pid 2>/dev/null | head -1)" 2>/dev/null) || true
  [ -n "$pm" ] || { echo 0; return; }
  t=$(ticks "$pm")
  for c in $(ps -o pid= --ppid "$pm"); do t=$((t + $(ticks "$c"))); done
  echo "$t"
}
busy() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }

# CPU ticks of a JVM's JIT compiler threads (C1, C2), from /proc/<pid>/task/*/stat: compilation
# still going on after the warm-up (session 12 measured 40-58 µs a request after 40-100 s of it on
# a loaded machine, on both sides of the otel comparison alike), not work of the request path.
jit_ticks() {
  cat /proc/"$1"/task/*/stat 2>/dev/null |
    awk '/\((C1|C2) CompilerThre/ {sub(/.*\) /, ""); split($0, f, " "); t += f[12] + f[13]} END {print t + 0}'
}
us_per() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.0f", t / hz / n * 1e6; else print "?" }'; }
cpu_begin() {
  C_GW=$(ticks "$GW_PID"); C_PG=$(pg_ticks); C_ST=$(ticks "${1:-$STUB_PID}"); C_B=$(busy)
  C_JIT=$(jit_ticks "$GW_PID"); C_SK=$(ticks "${SINK_PID:-0}")
}
# cpu_end <requests> [stub pid]: sets GWCPU, PGCPU, STCPU (µs per request), GWJIT (the gateway's
# JIT compiler threads, part of GWCPU), SKCPU (the OTLP sink's, when it runs) and BUSY.
cpu_end() {
  GWCPU=$(us_per $(($(ticks "$GW_PID") - C_GW)) "$1")
  PGCPU=$(us_per $(($(pg_ticks) - C_PG)) "$1")
  STCPU=$(us_per $(($(ticks "${2:-$STUB_PID}") - C_ST)) "$1")
  GWJIT=$(us_per $(($(jit_ticks "$GW_PID") - C_JIT)) "$1")
  SKCPU=$(us_per $(($(ticks "${SINK_PID:-0}") - C_SK)) "$1")
  BUSY=$(echo "$C_B $(busy)" | awk '{b = $3 - $1; i = $4 - $2; printf "%.0f%%", 100 * b / (b + i)}')
}
psql_q() { psql -h 127.0.0.1 -p "$(pg_port)" -U postgres -d gateway -Atc "$1" 2>/dev/null || echo "?"; }

# The Java feature version of the JVM at $1 (21, 25, ...).
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
