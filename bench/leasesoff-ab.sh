#!/usr/bin/env bash
# A/B of the per-request reservation path (budget leases off) between two gateway jars, each with
# its own BenchStub and embedded PostgreSQL (pg_stat_statements, track = all), both stacks up at
# once so that measurements can alternate (ABAB). Used for docs/PERFORMANCE.md "Twelfth session".
#   bench/leasesoff-ab.sh start <name> <jar> <gateway port>  stub + leases-off gateway (demo mode;
#                                                   LEASE_SECONDS=10 for leases on),
#                                                   200 drafting users, WARM (40) s of warm-up
#   bench/leasesoff-ab.sh measure <name> <conns> <secs>     wrk, settlements drained; CPU per request
#                           (gateway, PostgreSQL, stub, /proc) and execution per request per statement
#   bench/leasesoff-ab.sh stop <name>
# Needs the stub's classpath in $AB_DIR/cp.txt: ./mvnw -q -B -pl gateway-server -am package
#   dependency:build-classpath -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile=$AB_DIR/cp.txt
# Keep each jar outside the work tree (start copies it): e.g. main's and a branch's.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
AB_DIR="${AB_DIR:-/tmp/leasesoff-ab}"
if [ -z "${JAVA_HOME:-}" ]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
export PATH="$JAVA_HOME/bin:$PATH"
HZ=$(getconf CLK_TCK)
CMD=$1; NAME=$2; D=$AB_DIR/$NAME
CP="gateway-server/target/test-classes:gateway-server/target/classes:$(cat "$AB_DIR/cp.txt")"
TIER_BODY='{"model":"model-cheap","messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pgpm() { head -1 "$D/data/postgres/postmaster.pid"; }
pgport() { sed -n 4p "$D/data/postgres/postmaster.pid"; }
pg_ticks() { local pm t c; pm=$(pgpm); t=$(ticks "$pm"); for c in $(ps -o pid= --ppid "$pm"); do t=$((t + $(ticks "$c"))); done; echo $t; }
psq() { psql -h 127.0.0.1 -p "$(pgport)" -U postgres -d gateway -Atq "$@"; }
queued() { curl -sf "http://127.0.0.1:$(cat $D/port)/metrics" | awk '/^gateway_settlements_queued / {print int($2)}'; }
drain() { for _ in $(seq 3000); do q=$(queued); [ "${q:-0}" -eq 0 ] && break; sleep 0.05; done; }
start_gw() {
  env GATEWAY_BUDGET_LEASE_SECONDS=${LEASE_SECONDS:-0} GATEWAY_MODE=demo GATEWAY_PROVIDER=bedrock GATEWAY_PORT=$(cat $D/port) \
    GATEWAY_DATA_DIR="$D/data" GATEWAY_TIERS_FILE=bench/tiers.yaml \
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$(cat $D/stub)" AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    java -Xmx512m ${GW_JFR:-} -jar "$(cat $D/jar)" >"$D/gw.log" 2>&1 &
  echo $! >"$D/gw.pid"
  # the key lines follow the 'Demo keys' header: wait for the master key's line itself
  for _ in $(seq 300); do grep -q '^ *master (admin) ' "$D/gw.log" 2>/dev/null && break; sleep 0.2; done
  for _ in $(seq 100); do [ -n "$(sed -n 4p "$D/data/postgres/postmaster.pid" 2>/dev/null)" ] && break; sleep 0.2; done
  # ready to serve: the admin API creates the users next
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$(cat $D/port)/health/readiness" >/dev/null && break; sleep 0.2; done
  sleep 0.5
}
case $CMD in
start)
  mkdir -p "$D"; cp "$3" "$D/gw.jar"; echo "$D/gw.jar" >"$D/jar"; echo "$4" >"$D/port"
  java -cp "$CP" io.llmgateway.server.bench.BenchStub >"$D/stub.log" 2>&1 &
  echo $! >"$D/stub.pid"
  for _ in $(seq 100); do grep -q '^STUB ' "$D/stub.log" && break; sleep 0.2; done
  grep '^STUB ' "$D/stub.log" | cut -d' ' -f2 >"$D/stub"
  start_gw
  psq -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
  echo "pg_stat_statements.track = 'all'" >>"$D/data/postgres/postgresql.auto.conf"
  kill "$(cat $D/gw.pid)"; while kill -0 "$(cat $D/gw.pid)" 2>/dev/null; do sleep 0.2; done
  sleep 1
  start_gw
  "$SELF" users "$NAME" "$4"
  ;;
users)
  psq -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  MASTER=$(awk '$1 == "master" {print $3}' "$D/gw.log" | head -1)
  keys=""
  for i in $(seq 200); do
    k=$(curl -sf -H "Authorization: Bearer $MASTER" -H 'Content-Type: application/json' \
      -d "{\"user_id\":\"draft-off-$i\",\"team_id\":\"drafting\"}" "http://127.0.0.1:$3/user/new" \
      | grep -o '"key":"[^"]*"' | head -1 | cut -d'"' -f4) || true
    keys="$keys${keys:+,}$k"
  done
  echo "$keys" >"$D/keys"
  BODY="$TIER_BODY" KEYS="$keys" wrk -t2 -c16 -d"${WARM:-40}s" -s bench/chat.lua "http://127.0.0.1:$3/v1/chat/completions" | grep Requests/sec
  drain
  echo "started $NAME: gw pid $(cat $D/gw.pid) pg port $(pgport)"
  ;;
measure)
  C=$3; S=$4; GW=$(cat $D/gw.pid); ST=$(cat $D/stub.pid)
  drain
  psq -c "SELECT pg_stat_statements_reset()" >/dev/null
  la=$(cut -d' ' -f1-3 /proc/loadavg)
  g0=$(ticks $GW); p0=$(pg_ticks); s0=$(ticks $ST); t0=$(date +%s.%N)
  out=$(BODY="$TIER_BODY" KEYS="$(cat $D/keys)" wrk -t$(( C > 1 ? 2 : 1 )) -c$C -d${S}s --latency -s bench/chat.lua "http://127.0.0.1:$(cat $D/port)/v1/chat/completions")
  drain; t1=$(date +%s.%N)
  g1=$(ticks $GW); p1=$(pg_ticks); s1=$(ticks $ST)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  non2=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  awk -v n=$n -v hz=$HZ -v g=$((g1-g0)) -v p=$((p1-p0)) -v s=$((s1-s0)) -v t0=$t0 -v t1=$t1 -v la="$la" -v p50=$p50 -v name=$NAME -v c=$C -v non2="${non2:-0}" \
    'BEGIN {printf "%s c=%d load %s: %d req, %.0f req/s sustained, wrk p50 %s, non2xx %s; CPU/req gateway %.0f PG %.0f stub %.0f us\n", name, c, la, n, n/(t1-t0), p50, non2, g/hz/n*1e6, p/hz/n*1e6, s/hz/n*1e6}'
  psq -F' | ' -c "SELECT calls, round((calls::numeric/$n),2) AS per_req, round((total_exec_time*1000/$n)::numeric,0) AS us_per_req, round((total_exec_time*1000/greatest(calls,1))::numeric,0) AS us_per_call, toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements WHERE total_exec_time*1000/$n >= 3 ORDER BY total_exec_time DESC LIMIT 25"
  ;;
stop)
  kill "$(cat $D/gw.pid)" "$(cat $D/stub.pid)" 2>/dev/null || true
  ;;
esac
