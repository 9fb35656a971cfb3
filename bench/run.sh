#!/usr/bin/env bash
# Benchmark: the gateway (real PostgreSQL, budgets enforced, Bedrock adapter) in front of the
# wire-format Bedrock stub, measured with wrk on loopback. Prints latency added over calling the
# stub directly (1 connection, p50/p99), throughput at 32 connections, CPU per request and RSS.
# Usage: bench/run.sh [seconds-per-run]   (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-20}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ -z "${JAVA_HOME:-}" ]; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$c/bin/java" ] && export JAVA_HOME="$c" && break
  done
fi
JAVA="$JAVA_HOME/bin/java"
WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
echo "work dir: $WORK"

echo "building (jar + test classpath for the stub)..."
# One reactor run: packaged sibling modules (and their test-jars) resolve from their target/.
./mvnw -q -B -pl gateway-server -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="gateway-server/target/test-classes:$(cat "$WORK/cp.txt")"
JAR=$(ls gateway-server/target/gateway-server-*-all.jar | head -1)

cleanup() { kill "${GW_PID:-}" "${STUB_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

"$JAVA" -cp "$CP" io.llmgateway.server.bench.BenchStub >"$WORK/stub.log" 2>&1 &
STUB_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' "$WORK/stub.log" && break; sleep 0.2; done
STUB=$(grep '^STUB ' "$WORK/stub.log" | cut -d' ' -f2)
echo "stub: $STUB"

PORT=4100
GATEWAY_MODE=demo GATEWAY_PROVIDER=bedrock GATEWAY_PORT=$PORT GATEWAY_DATA_DIR="$WORK/data" \
GATEWAY_TIERS_FILE=bench/tiers.yaml AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$STUB" AWS_REGION=us-east-1 \
AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
  "$JAVA" ${GATEWAY_JAVA_OPTS:--Xmx512m} -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 300); do grep -q 'Demo keys' "$WORK/gateway.log" && break; sleep 0.2; done
sleep 0.5
KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' "$WORK/gateway.log" | paste -sd, -)
KEY=${KEYS%%,*}
[ -n "$KEY" ] || { echo "gateway did not start; see $WORK/gateway.log" >&2; exit 1; }
export KEYS
GW="http://127.0.0.1:$PORT/v1/chat/completions"
STUB_URL="$STUB/model/us.amazon.nova-micro-v1%3A0/converse"
curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}' "$GW" >/dev/null

echo "warm-up (JIT) ..."
wrk -t2 -c16 -d15s -s bench/chat.lua "$GW" >/dev/null
wrk -t1 -c4 -d5s -s bench/converse.lua "$STUB_URL" >/dev/null

run() { echo; echo "== $1"; shift; wrk "$@" | tee -a "$WORK/wrk.txt"; }
run "stub directly, 1 connection" -t1 -c1 -d"${DUR}s" --latency -s bench/converse.lua "$STUB_URL"
run "gateway, 1 connection" -t1 -c1 -d"${DUR}s" --latency -s bench/chat.lua "$GW"

ticks() { awk '{print $14+$15}' "/proc/$GW_PID/stat"; }
HZ=$(getconf CLK_TCK)
T0=$(ticks)
OUT=$(wrk -t2 -c32 -d"${DUR}s" --latency -s bench/chat.lua "$GW")
T1=$(ticks)
echo; echo "== gateway, 32 connections"; echo "$OUT"
REQS=$(echo "$OUT" | awk '/requests in/ {print $1}')
RSS=$(awk '/VmRSS/ {print $2}' "/proc/$GW_PID/status")
HWM=$(awk '/VmHWM/ {print $2}' "/proc/$GW_PID/status")
echo
echo "CPU per request (gateway process, 32 connections): $(awk -v t=$((T1-T0)) -v hz="$HZ" -v n="$REQS" 'BEGIN {printf "%.1f us", t/hz/n*1e6}')"
echo "gateway RSS now: $((RSS/1024)) MiB, peak: $((HWM/1024)) MiB"
echo "non-2xx in gateway log: $(grep -c 'status=[45]' "$WORK/gateway.log" || true)"
