#!/usr/bin/env bash
# Benchmark: the gateway (real PostgreSQL, budgets enforced) in front of the wire-format Bedrock
# stub through the Bedrock adapter, measured with wrk on loopback: latency added over calling the
# stub directly (1 connection, p50/p99), throughput at 32 connections, CPU per request and RSS.
# A second pass uses the in-process mock provider to separate the AWS SDK's share.
# Usage: bench/run.sh [seconds-per-run]   (needs wrk: apt-get install -y wrk)
#        BENCH_PATHS="bedrock mock" bench/run.sh 10   (a subset of: bedrock mock memory)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-20}"
PATHS="${BENCH_PATHS:-bedrock mock memory}"
WARMUP="${BENCH_WARMUP:-60}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ -z "${JAVA_HOME:-}" ]; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$c/bin/java" ] && export JAVA_HOME="$c" && break
  done
fi
JAVA="$JAVA_HOME/bin/java"
WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
echo "work dir: $WORK"
echo "machine: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "building (jar + test classpath for the stub)..."
# One reactor run: packaged sibling modules (and their test-jars) resolve from their target/.
./mvnw -q -B -pl gateway-server -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="gateway-server/target/test-classes:gateway-server/target/classes:$(cat "$WORK/cp.txt")"
JAR=$(ls gateway-server/target/gateway-server-*-all.jar | head -1)

GW_PID=""
STUB_PID=""
cleanup() {
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
  [ -n "$STUB_PID" ] && kill "$STUB_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

"$JAVA" -cp "$CP" io.llmgateway.server.bench.BenchStub >"$WORK/stub.log" 2>&1 &
STUB_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' "$WORK/stub.log" && break; sleep 0.2; done
STUB=$(grep '^STUB ' "$WORK/stub.log" | cut -d' ' -f2)
echo "stub: $STUB"

PORT=4100
GW="http://127.0.0.1:$PORT/v1/chat/completions"
STUB_URL="$STUB/model/us.amazon.nova-micro-v1%3A0/converse"

start_gateway() { # $1 = provider
  GATEWAY_MODE=demo GATEWAY_PROVIDER="$1" GATEWAY_PORT=$PORT GATEWAY_DATA_DIR="$WORK/data" \
  GATEWAY_TIERS_FILE=bench/tiers.yaml AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$STUB" AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    "$JAVA" ${GATEWAY_JAVA_OPTS:--Xmx512m} -jar "$JAR" >"$WORK/gateway-$1.log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 300); do grep -q 'Demo keys' "$WORK/gateway-$1.log" && break; sleep 0.2; done
  sleep 0.5
  KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' "$WORK/gateway-$1.log" | paste -sd, -)
  [ -n "$KEYS" ] || { echo "gateway did not start; see $WORK/gateway-$1.log" >&2; exit 1; }
  export KEYS
  curl -sf -H "Authorization: Bearer ${KEYS%%,*}" -H 'Content-Type: application/json' \
    -d '{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}' "$GW" >/dev/null
  echo "warm-up (JIT, ${WARMUP}s), provider $1 ..."
  wrk -t2 -c16 -d"${WARMUP}s" -s bench/chat.lua "$GW" >/dev/null
  echo "warm-up's settlements written after $(drain) s"
}

# Deferred settlement: answered requests whose spend is not yet written. A run is only over when
# they are written, so throughput below counts that time (and its CPU) too.
queued() {
  curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^gateway_settlements_queued / {print int($2)}'
}
# Waits (at most 300 s) until the gateway has written every queued settlement; prints the seconds.
drain() {
  local start now q
  start=$(date +%s.%N)
  for _ in $(seq 3000); do
    q=$(queued); [ "${q:-0}" -eq 0 ] && break; sleep 0.1
  done
  now=$(date +%s.%N)
  awk -v a="$start" -v b="$now" 'BEGIN {printf "%.1f", b - a}'
}

stop_gateway() {
  kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=""
}

run() { echo; echo "== $1"; shift; wrk "$@"; }

CHAT_BODY='{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
CONVERSE_BODY='{"messages":[{"role":"user","content":[{"text":"Say hello to the benchmark"}]}],"inferenceConfig":{"maxTokens":16}}'
# Raw 1-connection percentiles (wrk's are inflated by its coordinated-omission correction; see
# LatencyProbe's Javadoc). Args: label, url, body, [keys].
probe() {
  echo "-- $1, 1 connection, raw samples (LatencyProbe, ${DUR}s, first fifth warm-up):"
  "$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.LatencyProbe "$2" "$DUR" "$3" "${4:-}"
}

# CPU ticks (user + system) of a process, plus those of its children that have exited.
ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
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
per_req() { awk -v t="$1" -v hz="$2" -v n="$3" 'BEGIN {printf "%.0f us", t/hz/n*1e6}'; }

measure_gateway() { # $1 = label
  run "gateway ($1), 1 connection" -t1 -c1 -d"${DUR}s" --latency -s bench/chat.lua "$GW"
  probe "gateway ($1)" "$GW" "$CHAT_BODY" "$KEYS"
  local hz t0 t1 p0 p1 s0 s1 b0 b1 out reqs
  hz=$(getconf CLK_TCK)
  local backlog drained
  drain >/dev/null
  t0=$(ticks "$GW_PID"); p0=$(pg_ticks); s0=$(ticks "$STUB_PID"); b0=$(busy)
  out=$(wrk -t2 -c32 -d"${DUR}s" --latency -s bench/chat.lua "$GW")
  backlog=$(queued); drained=$(drain)
  t1=$(ticks "$GW_PID"); p1=$(pg_ticks); s1=$(ticks "$STUB_PID"); b1=$(busy)
  echo; echo "== gateway ($1), 32 connections"; echo "$out"
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "settlements still queued when wrk stopped: ${backlog:-?}, written ${drained} s later;" \
    "sustained: $(awk -v n="$reqs" -v d="$DUR" -v x="$drained" 'BEGIN {printf "%.0f", n / (d + x)}')" \
    "requests/s with every answer's spend written (CPU below includes that time)"
  echo "CPU per request ($1, 32 connections): gateway $(per_req $((t1 - t0)) "$hz" "$reqs")," \
    "PostgreSQL $(per_req $((p1 - p0)) "$hz" "$reqs"), stub $(per_req $((s1 - s0)) "$hz" "$reqs");" \
    "machine busy $(echo "$b0 $b1" | awk '{b = $3 - $1; i = $4 - $2; printf "%.0f%%", 100 * b / (b + i)}')"
  echo "gateway RSS: $(( $(awk '/VmRSS/ {print $2}' "/proc/$GW_PID/status") / 1024 )) MiB," \
    "peak $(( $(awk '/VmHWM/ {print $2}' "/proc/$GW_PID/status") / 1024 )) MiB"
}

wrk -t1 -c4 -d5s -s bench/converse.lua "$STUB_URL" >/dev/null
run "stub directly, 1 connection" -t1 -c1 -d"${DUR}s" --latency -s bench/converse.lua "$STUB_URL"
probe "stub directly" "$STUB_URL" "$CONVERSE_BODY"

# Keys with RPM, TPM and parallel-request limits (high enough never to refuse) for the eight bench
# users: every request then also makes the rate limiter's two writes (acquire and release).
rate_limited_keys() { # $1 = provider
  local master i k keys=""
  master=$(awk '$1 == "master" {print $3}' "$WORK/gateway-$1.log" | head -1)
  for i in 1 2 3 4 5 6 7 8; do
    k=$(curl -sf -H "Authorization: Bearer $master" -H 'Content-Type: application/json' \
      -d "{\"user_id\":\"demo-bench$i\",\"team_id\":\"bench$i\",\"rpm_limit\":1000000000,\"tpm_limit\":1000000000,\"max_parallel_requests\":100000}" \
      "http://127.0.0.1:$PORT/key/generate" | grep -o '"key":"[^"]*"' | head -1 | cut -d'"' -f4)
    keys="$keys${keys:+,}$k"
  done
  echo "$keys"
}

if [[ " $PATHS " == *" bedrock "* ]]; then
  start_gateway bedrock
  measure_gateway "Bedrock adapter -> stub"
  probe "gateway (Bedrock adapter -> stub), rate-limited keys" "$GW" "$CHAT_BODY" \
    "$(rate_limited_keys bedrock)"
  stop_gateway
fi

if [[ " $PATHS " == *" mock "* ]]; then
  start_gateway mock
  measure_gateway "in-process mock provider"
  probe "gateway (in-process mock provider), rate-limited keys" "$GW" "$CHAT_BODY" \
    "$(rate_limited_keys mock)"
  stop_gateway
fi

# The same server code without PostgreSQL: in-memory stores, mock provider.
if [[ " $PATHS " == *" memory "* ]]; then
"$JAVA" ${GATEWAY_JAVA_OPTS:--Xmx512m} -Dlogback.configurationFile=gateway-server/src/main/resources/logback.xml \
  -cp "$CP" io.llmgateway.server.bench.BenchMemoryServer \
  "$PORT" bench/tiers.yaml >"$WORK/gateway-memory.log" 2>&1 &
GW_PID=$!
for _ in $(seq 300); do grep -q 'bench8' "$WORK/gateway-memory.log" && break; sleep 0.2; done
KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' "$WORK/gateway-memory.log" | paste -sd, -)
export KEYS
wrk -t2 -c16 -d"${WARMUP}s" -s bench/chat.lua "$GW" >/dev/null
measure_gateway "in-memory stores, mock provider"
stop_gateway
fi

echo
echo "non-2xx answers: $(cat "$WORK"/gateway-*.log | grep -c 'status=[45]' || true)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
