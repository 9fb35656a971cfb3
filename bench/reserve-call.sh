#!/usr/bin/env bash
# The reserve's one call alone (leases-off path): pgbench against a demo-mode gateway's embedded,
# durable PostgreSQL, one client calling ledger_reserve (two counters, as a request's key daily
# and monthly lines) in the simple and the prepared protocol, with the backend's CPU per call from
# /proc. Session 12, docs/PERFORMANCE.md "Twelfth session: one connection". After a build (the
# gateway jar in gateway-server/target). Usage: bench/reserve-call.sh
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH=$JAVA_HOME/bin:$PATH
W=$(mktemp -d /tmp/pgb.XXXX); JAR=$(ls gateway-server/target/gateway-server-*-all.jar | head -1)
GATEWAY_BUDGET_LEASE_SECONDS=0 GATEWAY_MODE=demo GATEWAY_PORT=4330 GATEWAY_DATA_DIR=$W/data java -Xmx512m -jar $JAR > $W/gw.log 2>&1 &
GWP=$!
for _ in $(seq 150); do grep -q 'Demo keys' $W/gw.log && break; sleep 0.2; done
PID=$(find $W/data -name postmaster.pid | head -1); PGP=$(sed -n 4p $PID)
cat > $W/r.sql <<'SQL'
\set n random(1, 1000000000)
SELECT ledger_reserve('pgb-' || :n || '-' || :client_id || '-' || random(), 1000, now(), now() + interval '60 s', '{"requestId": "r", "keyId": "k", "model": "m", "startedAt": "2026-12-07T00:00:00Z"}', '{TEAM,USER}', '{tb,ub}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}', '{1000000000000000,1000000000000000}', '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}');
SQL
for mode in simple prepared; do
  pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M $mode -c1 -T3 -f $W/r.sql gateway >/dev/null 2>&1
  # measure with backend CPU: pgbench's backend is the newest child while it runs
  pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M $mode -c1 -T8 -f $W/r.sql gateway > $W/out-$mode 2>&1 &
  BP=$!; sleep 1
  pm=$(head -1 $PID); b=$(ps -o pid=,etimes= --ppid $pm | sort -k2 -n | head -1 | awk '{print $1}')
  t0=$(awk '{print $14+$15}' /proc/$b/stat); s0=$(grep -c . /dev/null); sleep 5; t1=$(awk '{print $14+$15}' /proc/$b/stat)
  wait $BP
  tps=$(awk '/^tps/ {print $3}' $W/out-$mode); lat=$(awk '/latency average/ {print $4}' $W/out-$mode)
  echo "$mode: tps $tps latency avg $lat ms; backend CPU over 5 s: $(( (t1-t0)*10 )) ms -> $(awk -v c=$(( (t1-t0)*10 )) -v t=$tps 'BEGIN{printf "%.0f", c*1000/(5*t)}') us/call"
done
psql -h 127.0.0.1 -p $PGP -U postgres -d gateway -Atc "SELECT 'synchronous_commit=' || current_setting('synchronous_commit') || ' fsync=' || current_setting('fsync')"
kill $GWP; wait 2>/dev/null; rm -rf $W
