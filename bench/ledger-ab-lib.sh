# Helpers for the function-level ledger A/Bs (sourced by bench/counters-ab.sh and
# bench/settle-spend-ab.sh): a demo-mode gateway's embedded PostgreSQL to run them in, the test
# counters, reservation lines and settle columns they write, and one pgbench run of a side with its
# backend's CPU from /proc. They read the caller's globals NS (settles a transaction), T (seconds a
# run) and, in ab_run, the function `fn` (a side's function name).
# shellcheck shell=bash

# ab_start <work-dir prefix> <port>: starts the gateway from $JAR; sets W, GWP, PGP.
ab_start() {
  W=$(mktemp -d "/tmp/$1.XXXX")
  GATEWAY_MODE=demo GATEWAY_PORT=$2 GATEWAY_DATA_DIR=$W/data java -Xmx512m -jar "$JAR" > "$W/gw.log" 2>&1 &
  GWP=$!
  for _ in $(seq 150); do grep -q 'Demo keys' "$W/gw.log" && break; sleep 0.2; done
  PGP=$(sed -n 4p "$(find "$W/data" -name postmaster.pid | head -1)")
  [ -n "$PGP" ] || { echo "the gateway did not start (port $2 taken?):"; tail -5 "$W/gw.log"; kill $GWP 2>/dev/null; rm -rf "$W"; exit 1; }
  psq -c "SELECT 'migrated to V' || max(version::int) FROM flyway_schema_history WHERE success" 2>/dev/null \
    || psq -c "SELECT 'migrated to V' || max(version::int) FROM gateway.flyway_schema_history WHERE success"
}
ab_stop() { kill $GWP; wait 2>/dev/null; rm -rf "$W"; }
psq() { psql -h 127.0.0.1 -p "$PGP" -U postgres -d gateway -v ON_ERROR_STOP=1 -Atq "$@"; }

counters() { # $1 prefix, $2 users, $3 reserved per user counter
  echo "INSERT INTO budget_counters (scope_kind, scope_id, time_window, period, committed_nanos, reserved_nanos, limit_nanos, resets_at)
  SELECT 'USER', '$1-u' || g, w, p, 0, $3, 1000000000000000000, r
    FROM generate_series(1, $2) g,
      (VALUES ('DAILY', '2026-12-07@UTC', '2026-12-08T00:00:00Z'::timestamptz),
              ('MONTHLY', '2026-12@UTC', '2027-01-01T00:00:00Z'::timestamptz)) AS v(w, p, r)
  UNION ALL
  SELECT 'TEAM', '$1-t', w, p, 0, $2::bigint * $3, 1000000000000000000, r
    FROM (VALUES ('DAILY', '2026-12-07@UTC', '2026-12-08T00:00:00Z'::timestamptz),
              ('MONTHLY', '2026-12@UTC', '2027-01-01T00:00:00Z'::timestamptz)) AS v(w, p, r);"; }
# reservations $1-<id>-<g> on user g's and the team's counters of prefix $1; $2 = id, $3 = how many
lines() { echo "INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
  SELECT '$1-' || $2 || '-' || g, k, s || CASE WHEN k = 'USER' THEN g::text ELSE '' END, w, p
    FROM generate_series(1, $3) g,
      (VALUES ('USER', '$1-u'), ('TEAM', '$1-t')) AS a(k, s),
      (VALUES ('DAILY', '2026-12-07@UTC'), ('MONTHLY', '2026-12@UTC')) AS v(w, p);"; }
A() { echo "ARRAY(SELECT $1 FROM generate_series(1, $2) g)"; }
# the settles of prefix $1's reservations $1-<id>-<g> as columns (no p_durable), ended at $3
scols() { local p=$1 id=$2 t=$3
  echo "$(A "'$p-' || $id || '-' || g" $NS), $(A "'$p-' || $id || '-' || g" $NS), $(A "'k'" $NS), $(A "'$p-u' || g" $NS), $(A "'$p-t'" $NS), $(A "'m'" $NS), $(A "'d'" $NS), $(A 10::bigint $NS), $(A 5::bigint $NS), $(A 0::bigint $NS), $(A 0::bigint $NS), $(A "'REPORTED'" $NS), $(A 700::bigint $NS), $(A "'SUCCESS'" $NS), $(A NULL::text $NS), $(A 3::bigint $NS), $(A "$t" $NS), $(A "$t" $NS)"; }
# NS held reservations of 1000 nano-USD, $1-<id>-<g>, with their lines
sreserve() { local p=$1 id=$2
  echo "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
  SELECT '$p-' || $id || '-' || g, 1000, 'held', now(), now() + interval '1 day', '{}' FROM generate_series(1, $NS) g;
$(lines $p $id $NS)"; }

# ab_run <side> <calls a tx> <unit>: pgbench, one client, T s, on $W/<side>.sql; the backend CPU
# a transaction and a call over T-2 s.
ab_run() {
  pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M prepared -c1 -T$T -f $W/${1/:/_}.sql gateway > $W/out 2>&1 &
  local bp=$! b u0 s0 u1 s1; sleep 1
  # the client's backend: the newest pgbench connection (pgbench's first one may still be closing)
  for _ in $(seq 20); do
    b=$(psq -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench' ORDER BY backend_start DESC LIMIT 1")
    [ -n "$b" ] && [ -r /proc/$b/stat ] && break; sleep 0.1
  done
  read u0 s0 < <(awk '{print $14, $15}' /proc/$b/stat); sleep $((T - 2)); read u1 s1 < <(awk '{print $14, $15}' /proc/$b/stat)
  [ -n "${u1:-}" ] || echo "(backend $b gone before the end of the run: the figure below is void)"
  wait $bp
  awk -v f="$1 $(fn $1)" -v tps=$(awk '/^tps/ {print $3}' $W/out) -v u=$((u1-u0)) -v s=$((s1-s0)) -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n=$2 -v unit="$3" -v m=$((T - 2)) \
    'BEGIN {printf "%s: %.1f tx/s; backend CPU %.0f us a tx, %.1f us a %s (user %.0f sys %.0f a tx; load %s)\n", f, tps, (u+s)*10000/(m*tps), (u+s)*10000/(m*tps)/n, unit, u*10000/(m*tps), s*10000/(m*tps), l}'
  grep -q 'failed transactions: 0 ' $W/out || { echo "pgbench failed:"; cat $W/out; }
}

# settle_consistent <label> <prefix>: whether the settle side's writes agree (each reservation of
# $NS a transaction settled at 700 of its 1000: one spend row each, all settled, counters moved).
settle_consistent() { local s=$1 p=$2
  psq -F' ' -c "SELECT '$s', count(*) || ' spend rows',
    CASE WHEN count(*) = (SELECT count(*) FROM reservations WHERE id LIKE '$p-%' AND state = 'settled')
         AND count(*) = (SELECT count(*) FROM reservations WHERE id LIKE '$p-%')
         AND 4 * 700 * count(*) = (SELECT sum(committed_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%')
         AND 4 * $NS * 1000000000000000 - 4 * 1000 * count(*) = (SELECT sum(reserved_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%')
       THEN 'consistent' ELSE 'INCONSISTENT' END FROM spend_log WHERE reservation_id LIKE '$p-%'"; }
