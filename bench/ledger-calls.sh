#!/usr/bin/env bash
# The leases-off path's two ledger calls timed alone: pgbench, one client, against a demo-mode
# gateway's embedded durable PostgreSQL, with the pgbench backend's CPU from /proc. Three scripts:
# one reserve (two counters); one reserve and the settle of it (batch of 1); five reserves and one
# settle of the five (batch of 5, the gateway's batch at one connection). The settle's cost is the
# difference. MODES: pgbench's protocols to run, "prepared" unless given ("simple prepared" for
# session 12's comparison). SCRIPTS: which to run (default "reserve1 settle1 settle5"; also batch15_json
# and batch15_cols, one batched reserve of 15 requests as JSON (V132) and as columns (V135): divide
# by 15 for a request, session 16). Sessions 12 and 13, docs/PERFORMANCE.md ("Twelfth session: one
# connection", "Thirteenth session: the reservation path's PostgreSQL CPU").
# Usage: [JAR=...] [PORT=4400] [ROUNDS=2] [MODES=prepared] bench/ledger-calls.sh
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH=$JAVA_HOME/bin:$PATH
W=$(mktemp -d /tmp/settle-call.XXXX); JAR=${JAR:-$(ls gateway-server/target/gateway-server-*-all.jar | head -1)}
GATEWAY_BUDGET_LEASE_SECONDS=0 GATEWAY_MODE=demo GATEWAY_PORT=${PORT:-4400} GATEWAY_DATA_DIR=$W/data java -Xmx512m -jar $JAR > $W/gw.log 2>&1 &
GWP=$!
for _ in $(seq 150); do grep -q 'Demo keys' $W/gw.log && break; sleep 0.2; done
PGP=$(sed -n 4p "$(find $W/data -name postmaster.pid | head -1)")
python3 bench/ledger-scripts.py "$W"
run() { # $1 script, $2 protocol
  pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M $2 -c1 -T8 -f $W/$1.sql gateway > $W/out 2>&1 &
  local bp=$! b u0 s0 u1 s1; sleep 1
  b=$(psql -h 127.0.0.1 -p $PGP -U postgres -d gateway -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" | head -1)
  read u0 s0 < <(awk '{print $14, $15}' /proc/$b/stat); sleep 6; read u1 s1 < <(awk '{print $14, $15}' /proc/$b/stat)
  wait $bp
  awk -v f=$1 -v tps=$(awk '/^tps/ {print $3}' $W/out) -v u=$((u1-u0)) -v s=$((s1-s0)) -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    -v m=$2 'BEGIN {printf "%s (%s): %.0f scripts/s; backend user %.0f sys %.0f us a script (load %s)\n", f, m, tps, u*10000/(6*tps), s*10000/(6*tps), l}'
}
echo "jar $JAR"
for _ in $(seq ${ROUNDS:-2}); do for m in ${MODES:-prepared}; do for f in ${SCRIPTS:-reserve1 settle1 settle5}; do run $f $m; done; done; done
psql -h 127.0.0.1 -p $PGP -U postgres -d gateway -Atc "SELECT 'synchronous_commit=' || current_setting('synchronous_commit') || ' fsync=' || current_setting('fsync')"
kill $GWP; wait 2>/dev/null; rm -rf $W
