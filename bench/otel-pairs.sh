#!/usr/bin/env bash
# Issue 21's trace budget measured in pairs, with both gateways resident: the lease path as
# bench/run.sh's otel step runs it (BenchStub, OtlpSink, demo-mode gateways with their own embedded
# PostgreSQL, the bench keys, 100 % sampled), but one traced and one untraced gateway started once
# and warmed, then measured in turn, <pairs> times, the order alternating (on-off, off-on, ...):
# wrk at 32 connections for <measure-s>, throughput counting the time to write every queued
# settlement (as run.sh does), and CPU per request of each process. run.sh starts a fresh gateway
# for every round, so each round brings its own JIT and heap history (session 20: identical
# untraced rounds 2,451 to 3,502 req/s); here the two sides share the machine's hour and history,
# and the summary gives each pair's ratio with the mean's 95 % interval. docs/PERFORMANCE.md,
# "Twentieth session".
# Usage: bench/otel-pairs.sh <pairs> <measure-s> <warm-up-s>
#        BENCH_PORT (default 4100): the traced gateway's port, the untraced one's is the next;
#        CP_FILE: an earlier run's cp.txt (no build), see bench/classpath.sh;
#        ONENV: more variables for the traced gateway, e.g. a sampler:
#        ONENV="OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.25".
set -uo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
PAIRS=${1:?pairs}; DUR=${2:?measure seconds}; WARM=${3:?warm-up seconds}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
ROOT=$(mktemp -d /tmp/otel-pairs.XXXXXX)
echo "work $ROOT; $PAIRS pairs of ${DUR}s, ${WARM}s warm-up each; traced side's extra env '${ONENV:-}'; load average $(cut -d' ' -f1-3 /proc/loadavg)"
. bench/classpath.sh; bench_classpath "$ROOT" || exit 1
HZ=$(getconf CLK_TCK)
CHAT_BODY='{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
export BODY=""
. bench/lib.sh

STUB_PID=""; SINK_PID=""; ON_PID=""; OFF_PID=""
cleanup() { for p in $ON_PID $OFF_PID $STUB_PID $SINK_PID; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

"$JAVA" -cp "$CP" io.llmgateway.server.bench.BenchStub >"$ROOT/stub.log" 2>&1 &
STUB_PID=$!
"$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.OtlpSink >"$ROOT/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' "$ROOT/stub.log" && grep -q '^SINK ' "$ROOT/sink.log" && break; sleep 0.2; done
STUB=$(grep '^STUB ' "$ROOT/stub.log" | cut -d' ' -f2)
SINK=$(grep '^SINK ' "$ROOT/sink.log" | cut -d' ' -f2)
PORT_ON=${BENCH_PORT:-4100}; PORT_OFF=$((PORT_ON + 1))

# start <on|off>: a demo-mode gateway on the lease path (as run.sh's start_gateway), its own data
# directory; the traced one exports to the sink.
start() {
  local side=$1 log="$ROOT/$1/gateway.log"
  mkdir -p "$ROOT/$side"
  if [ "$side" = on ]; then
    # shellcheck disable=SC2086
    demo_gateway bedrock "$PORT_ON" "$ROOT/on/data" "$log" "$STUB" \
      OTEL_EXPORTER_OTLP_ENDPOINT="$SINK" OTEL_SERVICE_NAME=gateway-bench ${ONENV:-}
    ON_PID=$GW_PID
  else
    demo_gateway bedrock "$PORT_OFF" "$ROOT/off/data" "$log" "$STUB"
    OFF_PID=$GW_PID
  fi
  grep -q 'Demo keys' "$log" || { echo "gateway $side did not start; see $log"; exit 1; }
}
# use <on|off>: point lib.sh's helpers (drain, cpu_begin/cpu_end, pg_ticks) at that side.
use() {
  WORK="$ROOT/$1"
  GW_PID=$([ "$1" = on ] && echo "$ON_PID" || echo "$OFF_PID")
  BASE="http://127.0.0.1:$([ "$1" = on ] && echo "$PORT_ON" || echo "$PORT_OFF")"
  GW="$BASE/v1/chat/completions"
  KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' "$WORK/gateway.log" | paste -sd, -)
  export KEYS
}

start on; start off
for side in on off; do
  use $side
  echo "warm-up (JIT, ${WARM}s), gateway traces $side ..."
  wrk -t2 -c16 -d"${WARM}s" -s bench/chat.lua "$GW" >/dev/null
  echo "  settlements written after $(drain) s"
done

printf 'pair\tside\treq/s\tgateway us/req\tof it JIT\tPostgreSQL\tstub\tsink\tbusy\n' >"$ROOT/pairs.tsv"
measure() { # $1 = pair, $2 = side
  local out reqs backlog drained rps
  use "$2"
  drain >/dev/null
  cpu_begin
  out=$(wrk -t2 -c32 -d"${DUR}s" -s bench/chat.lua "$GW")
  backlog=$(queued); drained=$(drain)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu_end "$reqs"
  if echo "$out" | grep -q 'Non-2xx'; then echo "pair $1 $2: non-2xx answers: $(echo "$out" | grep Non-2xx)"; fi
  rps=$(awk -v n="$reqs" -v d="$DUR" -v x="$drained" 'BEGIN {printf "%.0f", n / (d + x)}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$GWCPU" "$GWJIT" "$PGCPU" "$STCPU" \
    "$SKCPU" "$BUSY" | tee -a "$ROOT/pairs.tsv"
  echo "  (queued when wrk stopped: ${backlog:-?}, written ${drained} s later)"
}
for p in $(seq "$PAIRS"); do
  if [ $((p % 2)) = 1 ]; then measure "$p" on; measure "$p" off; else measure "$p" off; measure "$p" on; fi
done
echo "sink: $(curl -sf "$SINK/count" || echo '?')"
echo "non-2xx answers logged by the two gateways: $(cat "$ROOT"/*/gateway.log | grep -c 'status=[45]' || true)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$ROOT/pairs.tsv" <<'EOF'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
by = {}
for r in rows:
    by.setdefault(r['pair'], {})[r['side']] = r
pairs = [v for v in by.values() if 'on' in v and 'off' in v]
def f(r, k): return float(r[k])
ratio = [f(v['on'], 'req/s') / f(v['off'], 'req/s') for v in pairs]
# Student's t at 97.5 % for n - 1 degrees of freedom (n = 2..31), else the normal's 1.96.
T = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13,
     2.12, 2.11, 2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05, 2.04]
n = len(ratio)
m = st.mean(ratio)
half = (T[n - 2] if n - 2 < len(T) else 1.96) * st.stdev(ratio) / n ** 0.5 if n > 1 else float('nan')
print(f"pairs: {n}; ratio traced/untraced by pair: " + ", ".join(f"{x:.3f}" for x in ratio))
print(f"mean ratio {m:.3f} (95 % interval {m - half:.3f} to {m + half:.3f}), median {st.median(ratio):.3f}")
for k, label in [('req/s', 'req/s'), ('gateway us/req', 'gateway CPU us/req'), ('of it JIT', 'of it JIT'),
                 ('PostgreSQL', 'PostgreSQL CPU us/req'), ('stub', 'stub CPU us/req'), ('sink', 'sink CPU us/req')]:
    on = st.mean(f(v['on'], k) for v in pairs); off = st.mean(f(v['off'], k) for v in pairs)
    print(f"mean {label}: traced {on:.0f}, untraced {off:.0f}, difference {on - off:+.0f}")
nojit = [(f(v['on'], 'gateway us/req') - f(v['on'], 'of it JIT')) - (f(v['off'], 'gateway us/req') - f(v['off'], 'of it JIT')) for v in pairs]
print(f"gateway CPU without JIT threads, traced minus untraced by pair: mean {st.mean(nojit):+.0f} us, median {st.median(nojit):+.0f} us")
# One line for bench/run.sh's table.
mean = lambda side, k: st.mean(f(v[side], k) for v in pairs)
print(f"RESULT {n} {m:.4f} {m - half:.4f} {m + half:.4f} {mean('on', 'req/s'):.0f} {mean('off', 'req/s'):.0f}"
      f" {mean('on', 'gateway us/req'):.0f} {mean('off', 'gateway us/req'):.0f} {st.mean(nojit):.0f} {mean('on', 'sink'):.0f}")
EOF
