#!/usr/bin/env bash
# One spend row inserted per statement (the settle's INSERT INTO spend_log alone), pgbench, one
# client, prepared, with the pgbench backend's CPU from /proc; databases A and B on one server,
# interleaved (A B A B ...). Session 14: A at V129 (16 table checks), B at V131 (domains).
# Usage: PGHOST=... PGPORT=... [ROUNDS=4] [SECONDS=10] bench/spend-insert.sh DB_A DB_B
set -u
W=$(mktemp -d /tmp/spend-insert.XXXX)
cat > $W/insert.sql <<'SQL'
INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model, deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at) VALUES (NULL, 'req', 'k', 'u', 't', 'm', 'd', 10, 5, 0, 0, 'REPORTED', 700, 'SUCCESS', NULL, 3, now(), now());
SQL
T=${SECONDS_EACH:-10}
run() { # $1 database
  pgbench -U postgres -n -M prepared -c1 -T$T -f $W/insert.sql "$1" > $W/out 2>&1 &
  local bp=$! b u0 s0 u1 s1; sleep 1
  b=$(psql -U postgres -d "$1" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" | head -1)
  read u0 s0 < <(awk '{print $14, $15}' /proc/$b/stat); sleep $((T - 2)); read u1 s1 < <(awk '{print $14, $15}' /proc/$b/stat)
  wait $bp
  awk -v d=$1 -v tps=$(awk '/^tps/ {print $3}' $W/out) -v u=$((u1-u0)) -v s=$((s1-s0)) -v t=$((T - 2)) -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%s: %.0f inserts/s; backend user %.1f sys %.1f us an insert (load %s)\n", d, tps, u*10000/(t*tps), s*10000/(t*tps), l}'
}
for _ in $(seq ${ROUNDS:-4}); do run $1; run $2; done
rm -rf $W
