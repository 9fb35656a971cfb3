#!/usr/bin/env bash
# V136 (the counter move in ledger_move_counters, the lease draws in ledger_draw_spend) against
# the functions it replaces, in ONE database: a demo-mode gateway's embedded PostgreSQL started
# from a jar migrated to V135 (main's), with V136's functions installed beside them renamed v136_*
# (bench/counters-ab.py). Three pairs, each side on leases, counters and charge ids of its own:
#   draw    ledger_draw (V134)         vs v136_draw          one draw on each of LEASES (100) leases
#   wb      ledger_write_batch (V133)  vs v136_write_batch   the same batch as JSON
#   settle  ledger_settle (V128/V130)  vs v136_settle        SETTLES (20) reservations inserted and
#                                                            settled in one transaction
# Each lease or reservation is on two counters of its own user and two of its side's team, as in
# bench/write-batch-ab.sh. pgbench, one client, -M prepared, 8 s; backend CPU from /proc over 6 s
# (SECONDS_A_RUN=T: T s, over T-2);
# each pair A B B A per round. Afterwards: what each side wrote (spend rows, leases and counters
# agree), and one fixed batch through each side, compared (prefix stripped).
# Usage: [JAR=/tmp/s17v136-main.jar] [PORT=4820] [ROUNDS=3] [PAIRS="draw wb settle"] [SECONDS_A_RUN=8]
#        bench/counters-ab.sh
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH=$JAVA_HOME/bin:$PATH
. bench/ledger-ab-lib.sh
JAR=${JAR:-/tmp/s17v136-main.jar}
L=${LEASES:-100}; NS=${SETTLES:-20}; T=${SECONDS_A_RUN:-8}
PAIRS=${PAIRS:-draw wb settle}
ab_start counters-ab ${PORT:-4820}
python3 bench/counters-ab.py $W/v136.sql
psq -f $W/v136.sql
# sides: prefix, function
pre() { case $1 in draw:A) echo da ;; draw:B) echo db ;; wb:A) echo wa ;; wb:B) echo wb ;;
  settle:A) echo sa ;; settle:B) echo sb ;; esac; }
fn() { case $1 in draw:A) echo ledger_draw ;; draw:B) echo v136_draw ;; wb:A) echo ledger_write_batch ;;
  wb:B) echo v136_write_batch ;; settle:A) echo ledger_settle ;; settle:B) echo v136_settle ;; esac; }
for s in draw:A draw:B wb:A wb:B; do
  p=$(pre $s)
  psq <<SQL
$(counters $p $L 1000000000000)
INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
  SELECT '$p-lease-' || g, 1000000000000, 'held', now(), now() + interval '1 day', '{}'
    FROM generate_series(1, $L) g;
$(lines $p "'lease'" $L)
SQL
done
for s in settle:A settle:B; do psq -c "$(counters $(pre $s) $NS 1000000000000000)"; done
# the draws of prefix $1 as columns (no p_durable), charge ids $1-<id>-<g>, ended at $3
dcols() { local p=$1 id=$2 t=$3
  echo "$(A "'$p-lease-' || g" $L), $(A "'$p-' || $id || '-' || g" $L), $(A "'$p-' || $id || '-' || g" $L), $(A "'k'" $L), $(A "'$p-u' || g" $L), $(A "'$p-t'" $L), $(A "'m'" $L), $(A "'d'" $L), $(A 10::bigint $L), $(A 5::bigint $L), $(A 0::bigint $L), $(A 0::bigint $L), $(A "'REPORTED'" $L), $(A 700::bigint $L), $(A "'SUCCESS'" $L), $(A NULL::text $L), $(A 3::bigint $L), $(A "$t" $L), $(A "$t" $L)"; }
djson() { local p=$1 id=$2 t=$3
  echo "(SELECT jsonb_agg(jsonb_build_object('draw_from', '$p-lease-' || g, 'reservation_id', '$p-' || $id || '-' || g, 'request_id', '$p-' || $id || '-' || g, 'key_id', 'k', 'user_id', '$p-u' || g, 'team_id', '$p-t', 'model', 'm', 'deployment_id', 'd', 'input_tokens', 10, 'output_tokens', 5, 'cache_read_tokens', 0, 'cache_write_tokens', 0, 'usage_source', 'REPORTED', 'cost_nanos', 700, 'status', 'SUCCESS', 'latency_ms', 3, 'started_at', $t, 'ended_at', $t)) FROM generate_series(1, $L) g)"; }
call() { # $1 side, $2 id, $3 ended_at: the call's SQL
  local p=$(pre $1) f=$(fn $1)
  case $1 in
    draw:*) echo "SELECT $f(false, $(dcols $p $2 $3));" ;;
    wb:*) echo "SELECT $f($(djson $p $2 $3), false);" ;;
    settle:*) echo "SELECT $f(false, $(scols $p $2 $3));" ;;
  esac; }
N='\set n random(1, 9000000000000000000)'
for s in draw:A draw:B wb:A wb:B settle:A settle:B; do
  case $s in
    settle:*) printf '%s\nBEGIN;\n%s\n%s\nCOMMIT;\n' "$N" "$(sreserve $(pre $s) :n)" "$(call $s :n 'now()')" ;;
    *) printf '%s\n%s\n' "$N" "$(call $s :n 'now()')" ;;
  esac > $W/${s/:/_}.sql
done
echo "jar $JAR, PostgreSQL $(psq -c 'SHOW server_version'), $L draws a batch on $L leases, $NS settles a tx; load $(cat /proc/loadavg)"
for r in $(seq ${ROUNDS:-3}); do
  echo "-- round $r $(date -u +%H:%M:%S)"
  for p in $PAIRS; do for x in A B B A; do case $p in settle) ab_run $p:$x $NS settle ;; *) ab_run $p:$x $L draw ;; esac; done; done
done
echo "load at end $(cat /proc/loadavg)"
echo "-- rows written per side (draw/wb: drawn = cost = 700 * spend rows, lease amount left = L*1e12 - drawn,"
echo "--   counters committed = 4 * cost, reserved = 4*L*1e12 - committed; settle: 20 reservations a tx,"
echo "--   each settled at 700 of 1000: committed = 4 * 700 * spend rows, reserved = 4*NS*1e15 - 4 * 1000 * spend rows)"
for s in draw:A draw:B wb:A wb:B; do
  p=$(pre $s)
  psq -F' ' -c "SELECT '$s', (SELECT count(*) || ' spend rows, cost ' || sum(cost_nanos) FROM spend_log WHERE reservation_id LIKE '$p-%'),
    (SELECT CASE WHEN sum(c.cost_nanos) = (SELECT sum(drawn_nanos) FROM reservations WHERE id LIKE '$p-lease-%')
         AND 4 * sum(c.cost_nanos) = (SELECT sum(committed_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%')
         AND 4 * $L * 1000000000000 - 4 * sum(c.cost_nanos) = (SELECT sum(reserved_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%')
         AND $L * 1000000000000 - sum(c.cost_nanos) = (SELECT sum(amount_nanos) FROM reservations WHERE id LIKE '$p-lease-%')
       THEN 'consistent' ELSE 'INCONSISTENT' END FROM spend_log c WHERE c.reservation_id LIKE '$p-%')"
done
for s in settle:A settle:B; do
  p=$(pre $s)
  settle_consistent "$s" "$p"
done
echo "-- one fixed batch through each side, then again (expect 0): its spend rows hashed (prefix stripped), lease and counter move"
TS="'2026-12-07T12:00:00Z'::timestamptz"
for s in draw:A draw:B wb:A wb:B settle:A settle:B; do
  p=$(pre $s)
  case $s in settle:*) psq -c "$(sreserve $p "'chk'")" ;; esac
  psq -F' ' <<SQL
CREATE TEMP TABLE before AS SELECT (SELECT sum(amount_nanos) FROM reservations WHERE id LIKE '$p-%') a,
  (SELECT sum(drawn_nanos) FROM reservations WHERE id LIKE '$p-%') d,
  (SELECT sum(committed_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%') c,
  (SELECT sum(reserved_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%') r;
CREATE TEMP TABLE first AS $(call $s "'chk'" "$TS" | sed 's/;$//') AS n;
CREATE TEMP TABLE again AS $(call $s "'chk'" "$TS" | sed 's/;$//') AS n;
SELECT '$s', 'written ' || f.n || ', again ' || a.n,
  (SELECT 'rows ' || count(*) || ' md5 ' || md5(string_agg(concat_ws('|', substr(reservation_id, 4), substr(request_id, 4), key_id, substr(user_id, 4),
      substr(team_id, 4), model, deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at), ',' ORDER BY reservation_id))
     FROM spend_log WHERE reservation_id LIKE '$p-chk-%'),
  (SELECT 'reservations amount ' || sum(amount_nanos) - b.a || ' drawn +' || sum(drawn_nanos) - b.d FROM reservations WHERE id LIKE '$p-%'),
  (SELECT 'committed +' || sum(committed_nanos) - b.c || ' reserved ' || sum(reserved_nanos) - b.r FROM budget_counters WHERE scope_id LIKE '$p-%')
  FROM before b, first f, again a;
SQL
done
ab_stop
