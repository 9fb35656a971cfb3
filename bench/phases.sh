#!/usr/bin/env bash
# Where a request's wall time goes at CONN connections (default 1), by the gateway's own spans: the
# stub, OtlpSink with -Dsink.durations=true and a demo-mode gateway with its embedded durable
# PostgreSQL as bench/run.sh starts them, traced (100 % sampled), the eight large-budget bench keys;
# sides in the order given ("nolease lease nolease lease"; a side may name a jar: "nolease=/tmp/a.jar"),
# each warmed up (WARM s at 16 connections, then WARM1 s, default 15, at one). Per side: the stub called directly (wrk p50),
# the gateway (wrk p50, req/s), each span name's percentiles (the request span "chat <model>", its
# children gateway.admission, the upstream call "chat <deployment model>", gateway.settlement), CPU a
# request by process, and each ledger function's mean time inside PostgreSQL in the window
# (track_functions). Leases-off sides then time the bare reserve against the same database with
# pgbench, one client: back to back, and with 1 ms between calls (a gateway at one connection calls
# it about once a millisecond). Tracing costs the gateway ~30-40 µs of CPU a request (docs/PERFORMANCE.md),
# so compare sides with each other, not with bench/run.sh's untraced figures.
# Session 19, docs/PERFORMANCE.md "Nineteenth session: where one connection's time goes".
# Usage: [CONN=1] [WARM1=15] [CP_FILE=...] bench/phases.sh <measure-s> <warm-up-s> "nolease lease nolease lease"
set -uo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; JAVA=$JAVA_HOME/bin/java; export PATH=$JAVA_HOME/bin:$PATH
DUR=$1; WARM=$2; ORDER=$3; CONN=${CONN:-1}
W=$(mktemp -d /tmp/phases.XXXXXX); echo "work $W"
. bench/classpath.sh; bench_classpath "$W" || exit 1
PORT=${BENCH_PORT:-4300}; BASE=http://127.0.0.1:$PORT; GW=$BASE/v1/chat/completions
export BODY=""
HZ=$(getconf CLK_TCK); GW_PID=""; STUB_PID=""; SINK_PID=""
cleanup() { for p in $GW_PID $STUB_PID $SINK_PID; do kill $p 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
$JAVA -cp "$CP" io.llmgateway.server.bench.BenchStub >$W/stub.log 2>&1 & STUB_PID=$!
$JAVA -Xmx256m -Dsink.durations=true -cp "$CP" io.llmgateway.server.bench.OtlpSink >$W/sink.log 2>&1 & SINK_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' $W/stub.log && grep -q '^SINK ' $W/sink.log && break; sleep 0.2; done
STUB=$(grep '^STUB ' $W/stub.log | cut -d' ' -f2); SINK=$(grep '^SINK ' $W/sink.log | cut -d' ' -f2)
queued() { curl -sf $BASE/metrics | awk '/^gateway_settlements_queued / {print int($2)}'; }
drain() { for _ in $(seq 3000); do q=$(queued); [ "${q:-0}" -eq 0 ] && break; sleep 0.1; done; }
python3 bench/ledger-scripts.py "$W"; (cat $W/reserve1.sql; echo '\sleep 1 ms') >$W/reserve1-think.sql
echo '\sleep 1 ms' >$W/think.sql  # the sleep alone, to subtract
n=0
for spec in $ORDER; do
  side=${spec%%=*}; jar=$JAR; case "$spec" in *=*) jar=${spec#*=};; esac
  n=$((n+1)); L="$n-$side"; envs="X=1"; [ $side = nolease ] && envs="GATEWAY_BUDGET_LEASE_SECONDS=0"
  env $envs OTEL_EXPORTER_OTLP_ENDPOINT=$SINK OTEL_SERVICE_NAME=gateway-bench GATEWAY_MODE=demo GATEWAY_PROVIDER=bedrock \
    GATEWAY_PORT=$PORT GATEWAY_DATA_DIR=$W/data-$L GATEWAY_TIERS_FILE=bench/tiers.yaml AWS_ENDPOINT_URL_BEDROCK_RUNTIME=$STUB \
    AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench $JAVA -Xmx512m ${GW_OPTS:-} -jar $jar >$W/gw-$L.log 2>&1 & GW_PID=$!
  for _ in $(seq 300); do grep -q 'Demo keys' $W/gw-$L.log && break; sleep 0.2; done; sleep 0.5
  export KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' $W/gw-$L.log | paste -sd, -)
  pm=$(head -1 "$(find $W/data-$L -name postmaster.pid | head -1)"); PGP=$(sed -n 4p "$(find $W/data-$L -name postmaster.pid | head -1)")
  P="psql -h 127.0.0.1 -p $PGP -U postgres -d gateway -Atc"
  $P "ALTER SYSTEM SET track_functions = 'all'" >/dev/null; $P "SELECT pg_reload_conf()" >/dev/null
  wrk -t2 -c16 -d${WARM}s -s bench/chat.lua $GW >/dev/null; wrk -t1 -c1 -d${WARM1:-15}s -s bench/chat.lua $GW >/dev/null; drain; sleep 6
  curl -sf $SINK/reset >/dev/null; $P "SELECT pg_stat_reset()" >/dev/null
  stub=$(wrk -t1 -c1 -d5s --latency -s bench/converse.lua "$STUB" | awk '$1=="50%" {print $2}')
  pg0=0; for c in $pm $(ps -o pid= --ppid $pm); do pg0=$((pg0 + $(ticks $c))); done
  G0=$(ticks $GW_PID); S0=$(ticks $STUB_PID)
  out=$(wrk -t1 -c$CONN -d${DUR}s --latency -s bench/chat.lua $GW)
  drain; sleep 6  # the spans of the window's last requests reach the sink (the SDK exports every 5 s)
  G1=$(ticks $GW_PID); S1=$(ticks $STUB_PID)
  pg1=0; for c in $pm $(ps -o pid= --ppid $pm); do pg1=$((pg1 + $(ticks $c))); done
  reqs=$(echo "$out" | awk '/requests in/ {print $1}'); p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  us() { echo $(( ($1) * 1000000 / HZ / reqs )); }
  echo "$L: stub direct p50 $stub; gateway p50 $p50, $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s; CPU a request: gateway $(us $((G1-G0))) µs (after the window: exports, settles), stub $(us $((S1-S0))), PostgreSQL $(us $((pg1-pg0))); load $(cut -d' ' -f1 /proc/loadavg)"
  curl -sf $SINK/durations | grep -v '^GET_' | sed "s/^/$L:   span /"
  $P "SELECT funcname || ' calls=' || calls || ' mean=' || round((total_time / calls)::numeric, 3) || ' ms' FROM pg_stat_user_functions WHERE funcname LIKE 'ledger%' AND calls > 0 ORDER BY calls DESC" | sed "s/^/$L:   in PostgreSQL /"
  if [ $side = nolease ]; then
    think=$(pgbench -h 127.0.0.1 -p $PGP -U postgres -n -c1 -T4 -f $W/think.sql gateway 2>&1 | awk '/latency average/ {print $4}')
    for s in reserve1 reserve1-think; do
      $P "SELECT pg_stat_reset()" >/dev/null
      lat=$(pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M prepared -c1 -T8 -f $W/$s.sql gateway 2>&1 | awk '/latency average/ {print $4}')
      fn=$($P "SELECT round((total_time / calls)::numeric, 3) FROM pg_stat_user_functions WHERE funcname = 'ledger_reserve'")
      how="back to back"
      if [ $s = reserve1-think ]; then
        lat=$(awk -v a=$lat -v b=$think 'BEGIN {printf "%.3f", a - b}'); how="1 ms sleep between calls (the sleep's own $think ms taken off)"
      fi
      echo "$L:   bare reserve, pgbench one client, $how: $lat ms a call, ledger_reserve inside PostgreSQL $fn ms"
    done
  fi
  kill $GW_PID; wait $GW_PID 2>/dev/null; GW_PID=""
done
