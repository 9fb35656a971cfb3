#!/usr/bin/env bash
# The lease path's writer call, ledger_write_batch, timed alone with a batch of draws as 200
# drafting users on leases produce it at 32 connections: one draw on each of LEASES leases (100),
# each lease on two counters of its own user and two of the shared team. pgbench, one client,
# against a demo-mode gateway's embedded durable PostgreSQL, the backend's CPU from /proc.
# Alternates ledger_draw (V134: the draws as columns), ledger_write_batch as migrated (V133: JSON,
# the counters in one UPDATE) and the V116 body as V123 left it (one UPDATE per counter), installed
# beside them as ledger_write_batch_loop; json_only and arrays_only build the same arguments and
# throw them away (what each script costs before its call, to subtract).
# docs/PERFORMANCE.md "Fifteenth session".
# Usage: [JAR=...] [PORT=4450] [ROUNDS=2] [LEASES=100] bench/write-batch-ab.sh
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH=$JAVA_HOME/bin:$PATH
W=$(mktemp -d /tmp/write-batch.XXXX); JAR=${JAR:-$(ls gateway-server/target/gateway-server-*-all.jar | head -1)}
L=${LEASES:-100}
GATEWAY_MODE=demo GATEWAY_PORT=${PORT:-4450} GATEWAY_DATA_DIR=$W/data java -Xmx512m -jar $JAR > $W/gw.log 2>&1 &
GWP=$!
for _ in $(seq 150); do grep -q 'Demo keys' $W/gw.log && break; sleep 0.2; done
PGP=$(sed -n 4p "$(find $W/data -name postmaster.pid | head -1)")
psq() { psql -h 127.0.0.1 -p $PGP -U postgres -d gateway -v ON_ERROR_STOP=1 -Atq "$@"; }
# the loop version: V116's body with V123's conflict target and V130's settings, renamed
python3 - "$W" <<'EOF'
import sys, re
src = open("gateway-postgres/src/main/resources/db/migration/V116__ledger_write_batch_by_id.sql").read()
body = src[src.index("CREATE OR REPLACE FUNCTION ledger_write_batch"):]
body = body.replace("FUNCTION ledger_write_batch(", "FUNCTION ledger_write_batch_loop(", 1)
body = body.replace("ON CONFLICT (reservation_id)", "ON CONFLICT (ended_at, reservation_id)")
body = body.replace("SET plan_cache_mode = force_generic_plan",
                    "SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_bitmapscan = off", 1)
open(sys.argv[1] + "/loop.sql", "w").write(body)
EOF
psq -f $W/loop.sql
psq <<EOF
INSERT INTO budget_counters (scope_kind, scope_id, time_window, period, committed_nanos, reserved_nanos, limit_nanos, resets_at)
  SELECT 'USER', 'wb-u' || g, w, p, 0, 1000000000000, 1000000000000000, r
    FROM generate_series(1, $L) g,
      (VALUES ('DAILY', '2026-12-07@UTC', '2026-12-08T00:00:00Z'::timestamptz),
              ('MONTHLY', '2026-12@UTC', '2027-01-01T00:00:00Z'::timestamptz)) AS v(w, p, r)
  UNION ALL
  SELECT 'TEAM', 'wb-t', w, p, 0, $L * 1000000000000, 1000000000000000000, r
    FROM (VALUES ('DAILY', '2026-12-07@UTC', '2026-12-08T00:00:00Z'::timestamptz),
              ('MONTHLY', '2026-12@UTC', '2027-01-01T00:00:00Z'::timestamptz)) AS v(w, p, r);
INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
  SELECT 'wb-lease-' || g, 1000000000000, 'held', now(), now() + interval '1 day', '{}'
    FROM generate_series(1, $L) g;
INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
  SELECT 'wb-lease-' || g, k, s || CASE WHEN k = 'USER' THEN g::text ELSE '' END, w, p
    FROM generate_series(1, $L) g,
      (VALUES ('USER', 'wb-u'), ('TEAM', 'wb-t')) AS a(k, s),
      (VALUES ('DAILY', '2026-12-07@UTC'), ('MONTHLY', '2026-12@UTC')) AS v(w, p);
EOF
J="jsonb_build_object('draw_from', 'wb-lease-' || g, 'reservation_id', 'wb-' || :n || '-' || g, 'request_id', 'wb-' || :n || '-' || g, 'key_id', 'k', 'user_id', 'wb-u' || g, 'team_id', 'wb-t', 'model', 'm', 'deployment_id', 'd', 'input_tokens', 10, 'output_tokens', 5, 'cache_read_tokens', 0, 'cache_write_tokens', 0, 'usage_source', 'REPORTED', 'cost_nanos', 700, 'status', 'SUCCESS', 'latency_ms', 3, 'started_at', now(), 'ended_at', now())"
A() { echo "ARRAY(SELECT $1 FROM generate_series(1, $L) g)"; }
C="false, $(A "'wb-lease-' || g"), $(A "'wb-' || :n || '-' || g"), $(A "'wb-' || :n || '-' || g"), $(A "'k'"), $(A "'wb-u' || g"), $(A "'wb-t'"), $(A "'m'"), $(A "'d'"), $(A 10::bigint), $(A 5::bigint), $(A 0::bigint), $(A 0::bigint), $(A "'REPORTED'"), $(A 700::bigint), $(A "'SUCCESS'"), $(A NULL::text), $(A 3::bigint), $(A 'now()'), $(A 'now()')"
N='\set n random(1, 9000000000000000000)'
for f in ledger_write_batch ledger_write_batch_loop; do
  printf '%s\nSELECT %s((SELECT jsonb_agg(%s) FROM generate_series(1, %s) g), false);\n' "$N" $f "$J" $L > $W/$f.sql
done
printf '%s\nSELECT ledger_draw(%s);\n' "$N" "$C" > $W/ledger_draw.sql
# the same arguments built and thrown away: what the two scripts cost before the call
printf '%s\nSELECT jsonb_array_length((SELECT jsonb_agg(%s) FROM generate_series(1, %s) g));\n' "$N" "$J" $L > $W/json_only.sql
printf '%s\nSELECT num_nonnulls(%s);\n' "$N" "${C#false, }" > $W/arrays_only.sql
run() { # $1 function
  pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M prepared -c1 -T8 -f $W/$1.sql gateway > $W/out 2>&1 &
  local bp=$! b u0 s0 u1 s1; sleep 1
  b=$(psq -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" | head -1)
  read u0 s0 < <(awk '{print $14, $15}' /proc/$b/stat); sleep 6; read u1 s1 < <(awk '{print $14, $15}' /proc/$b/stat)
  wait $bp
  awk -v f=$1 -v tps=$(awk '/^tps/ {print $3}' $W/out) -v u=$((u1-u0)) -v s=$((s1-s0)) -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n=$L \
    'BEGIN {printf "%s: %.1f batches/s; backend CPU %.0f us a batch, %.1f us a draw (user %.0f sys %.0f a batch; load %s)\n", f, tps, (u+s)*10000/(6*tps), (u+s)*10000/(6*tps)/n, u*10000/(6*tps), s*10000/(6*tps), l}'
}
echo "jar $JAR, $L leases, one draw on each a batch"
for _ in $(seq ${ROUNDS:-2}); do for f in ledger_write_batch_loop ledger_write_batch ledger_draw ledger_draw ledger_write_batch ledger_write_batch_loop json_only arrays_only; do run $f; done; done
psq -c "SELECT 'counters: ' || count(*) || ', spend rows: ' || (SELECT count(*) FROM spend_log) FROM budget_counters WHERE scope_id LIKE 'wb-%'"
kill $GWP; wait 2>/dev/null; rm -rf $W
