#!/usr/bin/env bash
# Where traced requests spend CPU: the lease path as bench/run.sh's otel step runs it (the stub,
# OtlpSink, a demo-mode gateway with its embedded PostgreSQL, the same keys), traces off and on in
# the order given (ABAB), each round warmed up, then wrk at 32 connections; per-thread CPU from
# /proc/<pid>/task/*/stat before and after (grouped by bench/otel-threads.py: carriers, GC, C1/C2,
# BatchSpanProcessor, the OTLP sender's threads, settlement writer, ...), young GCs (jstat) and
# bytes allocated per thread (JFR's jdk.ThreadAllocationStatistics only, at the window's two ends),
# plus the sink's, stub's and PostgreSQL's CPU, all per request. Session 12, docs/PERFORMANCE.md.
# PROFILE_JFC=<file.jfc>: also a JFR recording of the window with those settings (prof-<round>.jfr).
# Usage: bench/otel-threads.sh <measure-s> <warm-up-s> "off on off on" [JVM options for both]
#        (after bench/run.sh's build; BENCH_PORT, default 4100; ONENV: extra variables, traced side)
#        A side may be off2/on2: the same with the jar JAR2 (two builds compared in one ABAB run).
set -uo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
export PATH="$(dirname "$JAVA"):$PATH" # jstat, jcmd and jfr of the same JDK
DUR=$1; WARM=$2; ORDER=$3; XOPTS="${4:-}"; ONENV="${ONENV:-}"; JAR=${JAR:-$(ls gateway-server/target/gateway-server-*-all.jar | head -1)}
W=$(mktemp -d /tmp/otel-threads.XXXXXX); echo "work $W; jar $JAR${JAR2:+, jar2 $JAR2}; order $ORDER; ${DUR}s measure, ${WARM}s warm-up; opts '$XOPTS'; on-env '$ONENV'"
# As bench/run.sh builds: the jar and the test classpath (the stub, the sink) in one reactor run.
# BENCH_CP=<cp.txt of an earlier run>: no build (the classes and jars already built).
. bench/classpath.sh; bench_classpath "$W" || exit 1
PORT=${BENCH_PORT:-4100}; BASE=http://127.0.0.1:$PORT; GW=$BASE/v1/chat/completions
CHAT_BODY='{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
export BODY=""
HZ=$(getconf CLK_TCK)
GW_PID=""; STUB_PID=""; SINK_PID=""
cleanup() { for p in $GW_PID $STUB_PID $SINK_PID; do kill $p 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
# "<tid> <ticks> <name>" for every thread of $1 (name = comm, at most 15 characters, spaces -> _)
threads() {
  local t s name rest
  for t in /proc/$1/task/*; do
    s=$(cat $t/stat 2>/dev/null) || continue
    name=${s#*(}; name=${name%)*}; rest=${s##*) }
    set -- $rest
    echo "${t##*/} $(( ${12} + ${13} )) ${name// /_}"
  done
}
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<configuration version="2.0">' \
  '<event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>' \
  '</configuration>' >$W/alloc.jfc
$JAVA -cp "$CP" io.llmgateway.server.bench.BenchStub >$W/stub.log 2>&1 & STUB_PID=$!
$JAVA -Xmx256m -cp "$CP" io.llmgateway.server.bench.OtlpSink >$W/sink.log 2>&1 & SINK_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' $W/stub.log && grep -q '^SINK ' $W/sink.log && break; sleep 0.2; done
STUB=$(grep '^STUB ' $W/stub.log | cut -d' ' -f2); SINK=$(grep '^SINK ' $W/sink.log | cut -d' ' -f2)
[ -n "$STUB" ] && [ -n "$SINK" ] || { echo "stub or sink did not start: $W" >&2; exit 1; }
queued() { curl -sf $BASE/metrics | awk '/^gateway_settlements_queued / {print int($2)}'; }
drain() { for _ in $(seq 3000); do q=$(queued); [ "${q:-0}" -eq 0 ] && break; sleep 0.1; done; }
pg_ticks() { local pm t=0 c; pm=$(head -1 "$(find $W/data-$1 -name postmaster.pid | head -1)"); t=$(ticks $pm)
  for c in $(ps -o pid= --ppid $pm); do t=$((t + $(ticks $c))); done; echo $t; }
n=0
for side in $ORDER; do
  n=$((n+1)); L="$n-$side"
  jar=$JAR; case $side in *2) jar=${JAR2:?JAR2 not set};; esac
  envs=""; [ ${side%2} = on ] && envs="OTEL_EXPORTER_OTLP_ENDPOINT=$SINK OTEL_SERVICE_NAME=gateway-bench $ONENV"
  env $envs GATEWAY_MODE=demo GATEWAY_PROVIDER=bedrock GATEWAY_PORT=$PORT GATEWAY_DATA_DIR=$W/data-$L \
    GATEWAY_TIERS_FILE=bench/tiers.yaml AWS_ENDPOINT_URL_BEDROCK_RUNTIME=$STUB AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    $JAVA -Xmx512m -Xlog:gc*,safepoint=off:file=$W/gc-$L.log:uptime $XOPTS -jar $jar >$W/gw-$L.log 2>&1 & GW_PID=$!
  for _ in $(seq 300); do grep -q 'Demo keys' $W/gw-$L.log && break; sleep 0.2; done; sleep 0.5
  export KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' $W/gw-$L.log | paste -sd, -)
  wrk -t2 -c16 -d${WARM}s -s bench/chat.lua $GW >/dev/null; drain
  sleep 1
  threads $GW_PID >$W/t0-$L; P0=$(ticks $GW_PID); K0=$(ticks $SINK_PID); S0=$(ticks $STUB_PID); G0=$(pg_ticks $L)
  jstat -gc $GW_PID | tail -1 >$W/jstat0-$L; U0=$(awk '{print $1}' /proc/uptime)
  jcmd $GW_PID JFR.start name=alloc settings=$W/alloc.jfc >/dev/null
  [ -n "${PROFILE_JFC:-}" ] && jcmd $GW_PID JFR.start name=prof settings=$PROFILE_JFC >/dev/null
  LA0=$(cut -d' ' -f1-3 /proc/loadavg)
  out=$(wrk -t2 -c32 -d${DUR}s -s bench/chat.lua $GW); drain
  jcmd $GW_PID JFR.stop name=alloc filename=$W/alloc-$L.jfr >/dev/null
  [ -n "${PROFILE_JFC:-}" ] && jcmd $GW_PID JFR.stop name=prof filename=$W/prof-$L.jfr >/dev/null
  threads $GW_PID >$W/t1-$L; P1=$(ticks $GW_PID); K1=$(ticks $SINK_PID); S1=$(ticks $STUB_PID); G1=$(pg_ticks $L)
  jstat -gc $GW_PID | tail -1 >$W/jstat1-$L; U1=$(awk '{print $1}' /proc/uptime)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}'); rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  echo "$L reqs $reqs rps $rps non-2xx $(echo "$out" | awk '/Non-2xx/ {print $NF}') wall $(awk -v a=$U0 -v b=$U1 'BEGIN{printf "%.1f", b-a}') load $LA0 -> $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $W/summary
  echo "$L procus gw $(( (P1-P0)*1000000/HZ/reqs )) sink $(( (K1-K0)*1000000/HZ/reqs )) stub $(( (S1-S0)*1000000/HZ/reqs )) pg $(( (G1-G0)*1000000/HZ/reqs ))" | tee -a $W/summary
  echo "$reqs $P0 $P1" >$W/reqs-$L
  kill $GW_PID; wait $GW_PID 2>/dev/null; GW_PID=""
done
echo "sink: $(curl -sf $SINK/count)"
python3 bench/otel-threads.py "$W"
