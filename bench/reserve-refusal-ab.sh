#!/usr/bin/env bash
# V128's ledger_reserve against V137's, side by side in one database (session 17): both installed
# under other names (ledger_reserve_v128, ledger_reserve_v137, their text taken from the
# migrations), against a demo-mode gateway's embedded durable PostgreSQL, as bench/ledger-calls.sh
# runs reserve1: pgbench, one client, -M prepared, T (8) s a run, the pgbench backend's CPU from
# /proc over T - 2 s of it. Runs alternate A B A B ... (ROUNDS pairs). SCRIPTS: "reserve1" (one admitted
# reserve on two counters, the path every request takes) and "refused1" (one reserve refused on its
# second line for want of room, caught in a wrapper function with an exception block, so that
# pgbench goes on; the wrapper is the same for both).
# ORDER="v137 v128" runs V137 first in each pair.
# Usage: [JAR=...] [PORT=4900] [ROUNDS=4] [T=8] [ORDER="v128 v137"] [SCRIPTS="reserve1 refused1"] bench/reserve-refusal-ab.sh
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH=$JAVA_HOME/bin:$PATH
M=gateway-postgres/src/main/resources/db/migration
W=$(mktemp -d /tmp/reserve-ab.XXXX); JAR=${JAR:-$(ls gateway-server/target/gateway-server-*-all.jar | head -1)}
GATEWAY_BUDGET_LEASE_SECONDS=0 GATEWAY_MODE=demo GATEWAY_PORT=${PORT:-4900} GATEWAY_DATA_DIR=$W/data java -Xmx512m -jar $JAR > $W/gw.log 2>&1 &
GWP=$!
for _ in $(seq 150); do grep -q 'Demo keys' $W/gw.log && break; sleep 0.2; done
PGP=$(sed -n 4p "$(find $W/data -name postmaster.pid | head -1)")
q() { psql -h 127.0.0.1 -p $PGP -U postgres -d gateway -v ON_ERROR_STOP=1 -qAt "$@"; }
# ledger_reserve as the migration $1 defines it, renamed $2
copy() {
  awk '/^CREATE OR REPLACE FUNCTION ledger_reserve\(/ {on=1} on {print} on && /^\$\$;$/ {exit}' $M/$1 \
    | sed "1s/FUNCTION ledger_reserve(/FUNCTION $2(/"
}
copy V128__ledger_reserve_set_based.sql ledger_reserve_v128 > $W/v128.sql
copy V137__ledger_reserve_refusal_on_demand.sql ledger_reserve_v137 > $W/v137.sql
q -f $W/v128.sql; q -f $W/v137.sql
ARGS="1000, now(), now() + interval '60 s', '{\"requestId\": \"r\", \"keyId\": \"k\", \"userId\": \"u\", \"teamId\": \"t\", \"model\": \"m\", \"startedAt\": \"2026-12-07T00:00:00Z\"}'"
for v in v128 v137; do
  q <<SQL
CREATE FUNCTION bench_refused_$v(p_id text) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
  PERFORM ledger_reserve_$v(p_id, $ARGS, '{TEAM,USER}', '{tb,ur}', '{DAILY,MONTHLY}',
    '{2026-12-07@UTC,2026-12@UTC}', '{1000000000000000,1000000000000000}',
    '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}');
EXCEPTION WHEN SQLSTATE 'GWB01' THEN NULL;
END
\$\$;
SQL
  printf '\\set n random(1, 9000000000000000000)\n%s\n' \
    "SELECT ledger_reserve_$v('pgb-' || :n || '-' || :client_id, $ARGS, '{TEAM,USER}', '{tb,ub}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}', '{1000000000000000,1000000000000000}', '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}');" > $W/reserve1-$v.sql
  printf '\\set n random(1, 9000000000000000000)\n%s\n' "SELECT bench_refused_$v('pgr-' || :n || '-' || :client_id);" > $W/refused1-$v.sql
done
# the refused line: a user counter 500 short of its limit (a reserve of 1,000 has no room)
q -c "INSERT INTO budget_counters (scope_kind, scope_id, time_window, period, committed_nanos, reserved_nanos, limit_nanos, resets_at) VALUES ('USER', 'ur', 'MONTHLY', '2026-12@UTC', 0, 999999999999500, 1000000000000000, '2027-01-01T00:00:00Z')"
q -c "SELECT ledger_reserve_v128('check-a', $ARGS, '{TEAM,USER}', '{tb,ur}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}', '{1000000000000000,1000000000000000}', '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}')" 2>&1 | head -2
q -c "SELECT ledger_reserve_v137('check-b', $ARGS, '{TEAM,USER}', '{tb,ur}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}', '{1000000000000000,1000000000000000}', '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}')" 2>&1 | head -2
run() { # $1 script file
  pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M prepared -c1 -T${T:-8} -f $W/$1.sql gateway > $W/out 2>&1 &
  local bp=$! b u0 s0 u1 s1; sleep 1
  b=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" | head -1)
  read u0 s0 < <(awk '{print $14, $15}' /proc/$b/stat); sleep $((${T:-8} - 2)); read u1 s1 < <(awk '{print $14, $15}' /proc/$b/stat)
  wait $bp
  awk -v f=$1 -v tps=$(awk '/^tps/ {print $3}' $W/out) -v lat=$(awk '/^latency average/ {print $4}' $W/out) \
    -v u=$((u1-u0)) -v s=$((s1-s0)) -v d=$((${T:-8} - 2)) -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%s: %.0f calls/s, round trip %.3f ms; backend user %.0f sys %.0f total %.0f us a call (load %s)\n", f, tps, lat, u*10000/(d*tps), s*10000/(d*tps), (u+s)*10000/(d*tps), l}'
  grep -i 'abort\|error' $W/out | head -3
}
echo "jar $JAR; load at start $(cat /proc/loadavg); $(date -u +%H:%M:%S) UTC"
for r in $(seq ${ROUNDS:-4}); do
  for f in ${SCRIPTS:-reserve1 refused1}; do for v in ${ORDER:-v128 v137}; do run $f-$v; done; done
done
echo "load at end $(cat /proc/loadavg); $(date -u +%H:%M:%S) UTC"
q -c "SELECT 'synchronous_commit=' || current_setting('synchronous_commit') || ' fsync=' || current_setting('fsync') || ' ' || version()"
kill $GWP; wait 2>/dev/null; rm -rf $W
