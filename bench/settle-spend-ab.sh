#!/usr/bin/env bash
# V138 (the settle statements in ledger_settle_spend, called by ledger_settle and
# ledger_write_batch) against the functions it replaces, in ONE database: a demo-mode gateway's
# embedded PostgreSQL started from a jar migrated to V137 (main's), with V138's functions installed
# beside them renamed v138_* (bench/settle-spend-ab.py). bench/counters-ab.sh's harness, two pairs,
# each side on reservations and counters of its own:
#   wb      ledger_write_batch (V136)  vs v138_write_batch   SETTLES (20) reservations inserted and
#                                                            settled in one transaction, the settles
#                                                            as JSON (the block V138 changes)
#   settle  ledger_settle (V136)       vs v138_settle        the same, the settles as columns
#   wbt     ledger_write_batch (V136)  vs v138t_write_batch  an experiment, not V138: wb with the
#                                                            JSON settles read by jsonb_to_recordset
#                                                            into ledger_settle_spend's base types
# Each reservation is on two counters of its own user and two of its side's team. pgbench, one
# client, -M prepared, 8 s; backend CPU from /proc over 6 s (SECONDS_A_RUN=T: T s, over T-2);
# each pair A B B A per round. Afterwards: what each side wrote (spend rows, reservations and
# counters agree), and one fixed batch through each side, compared (prefix stripped).
# Then MIXED_ROUNDS (default 0) interleaved rounds, both sides in one pgbench run (see below).
# Usage: [JAR=/tmp/s18-main.jar] [PORT=4821] [ROUNDS=3] [PAIRS="wb settle"] [SECONDS_A_RUN=8]
#        [MIXED_ROUNDS=0] [MIXED_ALL_ROUNDS=0] [MIXED_SECONDS=40] bench/settle-spend-ab.sh
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH=$JAVA_HOME/bin:$PATH
. bench/ledger-ab-lib.sh
JAR=${JAR:-/tmp/s18-main.jar}
NS=${SETTLES:-20}; T=${SECONDS_A_RUN:-8}
PAIRS=${PAIRS:-wb settle}
ab_start settle-spend-ab ${PORT:-4821}
python3 bench/settle-spend-ab.py $W/v138.sql
psq -f $W/v138.sql
# sides: prefix, function
pre() { case $1 in wb:A) echo wa ;; wb:B) echo wb ;; wbt:A) echo ta ;; wbt:B) echo tb ;; settle:A) echo sa ;; settle:B) echo sb ;; esac; }
fn() { case $1 in wb:A) echo ledger_write_batch ;; wb:B) echo v138_write_batch ;;
  wbt:A) echo ledger_write_batch ;; wbt:B) echo v138t_write_batch ;;
  settle:A) echo ledger_settle ;; settle:B) echo v138_settle ;; esac; }
for s in $(for p in $PAIRS; do echo $p:A $p:B; done); do psq -c "$(counters $(pre $s) $NS 1000000000000000)"; done
# the same settles as ledger_write_batch's JSON (error_type null, as SpendRows.row writes it)
sjson() { local p=$1 id=$2 t=$3
  echo "(SELECT jsonb_agg(jsonb_build_object('reservation_id', '$p-' || $id || '-' || g, 'request_id', '$p-' || $id || '-' || g, 'key_id', 'k', 'user_id', '$p-u' || g, 'team_id', '$p-t', 'model', 'm', 'deployment_id', 'd', 'input_tokens', 10, 'output_tokens', 5, 'cache_read_tokens', 0, 'cache_write_tokens', 0, 'usage_source', 'REPORTED', 'cost_nanos', 700, 'status', 'SUCCESS', 'error_type', NULL, 'latency_ms', 3, 'started_at', $t, 'ended_at', $t)) FROM generate_series(1, $NS) g)"; }
call() { # $1 side, $2 id, $3 ended_at: the call's SQL
  local p=$(pre $1) f=$(fn $1)
  case $1 in
    wb:*|wbt:*) echo "SELECT $f($(sjson $p $2 $3), false);" ;;
    settle:*) echo "SELECT $f(false, $(scols $p $2 $3));" ;;
  esac; }
N='\set n random(1, 9000000000000000000)'
for s in $(for p in $PAIRS; do echo $p:A $p:B; done); do
  printf '%s\nBEGIN;\n%s\n%s\nCOMMIT;\n' "$N" "$(sreserve $(pre $s) :n)" "$(call $s :n 'now()')" > $W/${s/:/_}.sql
done
echo "jar $JAR, PostgreSQL $(psq -c 'SHOW server_version'), $NS settles a tx (reservations inserted in the same tx); load $(cat /proc/loadavg)"
for r in $(seq ${ROUNDS:-3}); do
  echo "-- round $r $(date -u +%H:%M:%S)"
  for p in $PAIRS; do for x in A B B A; do ab_run $p:$x $NS settle; done; done
done
# Interleaved: both sides in ONE pgbench run (-f A -f B: each transaction picks a side at random),
# so that drift of the machine and of the tables' size falls on both alike; per side, the wall time
# spent inside its function (pg_stat_user_functions.total_time, callees included, track_functions =
# pl for that session; one client, so on a quiet machine mostly CPU), MIXED_SECONDS a round.
for r in $(seq ${MIXED_ROUNDS:-0}); do
  for p in $PAIRS; do
    psq -c "SELECT pg_stat_reset()" > /dev/null
    PGOPTIONS="-c track_functions=pl" pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M prepared -c1 \
      -T${MIXED_SECONDS:-40} -f $W/${p}_A.sql -f $W/${p}_B.sql gateway > $W/out 2>&1
    grep -q 'failed transactions: 0 ' $W/out || { echo "pgbench failed:"; cat $W/out; }
    sleep 1
    psq -F' ' -c "SELECT 'interleaved round $r $(date -u +%H:%M:%S) $p', string_agg(funcname || ' ' || calls || ' calls, '
        || round((total_time * 1000 / calls / $NS)::numeric, 1) || ' us a settle', '; ' ORDER BY funcname <> '$(fn $p:A)'),
        'B/A ' || round((max(total_time / calls) FILTER (WHERE funcname = '$(fn $p:B)')
          / max(total_time / calls) FILTER (WHERE funcname = '$(fn $p:A)'))::numeric, 3),
        'load $(cut -d' ' -f1 /proc/loadavg)'
      FROM pg_stat_user_functions WHERE funcname IN ('$(fn $p:A)', '$(fn $p:B)')"
  done
done
# MIXED_ALL_ROUNDS (default 0): every side of every pair interleaved in one pgbench run, to set
# the two pairs' functions against each other (e.g. ledger_write_batch's JSON settles against
# ledger_settle's columns on the same settles).
for r in $(seq ${MIXED_ALL_ROUNDS:-0}); do
  files=""; names=""
  for p in $PAIRS; do for x in A B; do files="$files -f $W/${p}_$x.sql"; names="$names,'$(fn $p:$x)'"; done; done
  psq -c "SELECT pg_stat_reset()" > /dev/null
  PGOPTIONS="-c track_functions=pl" pgbench -h 127.0.0.1 -p $PGP -U postgres -n -M prepared -c1 \
    -T${MIXED_SECONDS:-40} $files gateway > $W/out 2>&1
  grep -q 'failed transactions: 0 ' $W/out || { echo "pgbench failed:"; cat $W/out; }
  sleep 1
  psq -F' ' -c "SELECT 'all interleaved round $r $(date -u +%H:%M:%S)', string_agg(funcname || ' ' || calls
      || ' calls, ' || round((total_time * 1000 / calls / $NS)::numeric, 1) || ' us a settle', '; '
      ORDER BY funcname), 'load $(cut -d' ' -f1 /proc/loadavg)'
    FROM pg_stat_user_functions WHERE funcname IN (${names#,})"
done
echo "load at end $(cat /proc/loadavg)"
echo "-- rows written per side: $NS reservations a tx, each settled at 700 of 1000:"
echo "--   committed = 4 * 700 * spend rows, reserved = 4*NS*1e15 - 4 * 1000 * spend rows"
for s in $(for p in $PAIRS; do echo $p:A $p:B; done); do
  p=$(pre $s)
  settle_consistent "$s" "$p"
done
echo "-- one fixed batch through each side, then again (expect 0): its spend rows hashed (prefix stripped), counter move"
TS="'2026-12-07T12:00:00Z'::timestamptz"
for s in $(for p in $PAIRS; do echo $p:A $p:B; done); do
  p=$(pre $s)
  psq -c "$(sreserve $p "'chk'")"
  psq -F' ' <<SQL
CREATE TEMP TABLE before AS SELECT (SELECT sum(committed_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%') c,
  (SELECT sum(reserved_nanos) FROM budget_counters WHERE scope_id LIKE '$p-%') r;
CREATE TEMP TABLE first AS $(call $s "'chk'" "$TS" | sed 's/;$//') AS n;
CREATE TEMP TABLE again AS $(call $s "'chk'" "$TS" | sed 's/;$//') AS n;
SELECT '$s', 'written ' || f.n || ', again ' || a.n,
  (SELECT 'rows ' || count(*) || ' md5 ' || md5(string_agg(concat_ws('|', substr(reservation_id, 4), substr(request_id, 4), key_id, substr(user_id, 4),
      substr(team_id, 4), model, deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      usage_source, cost_nanos, status, coalesce(error_type, '(null)'), latency_ms, started_at, ended_at), ',' ORDER BY reservation_id))
     FROM spend_log WHERE reservation_id LIKE '$p-chk-%'),
  (SELECT 'settled ' || count(*) FILTER (WHERE state = 'settled' AND settled_at = $TS) FROM reservations WHERE id LIKE '$p-chk-%'),
  (SELECT 'committed +' || sum(committed_nanos) - b.c || ' reserved ' || sum(reserved_nanos) - b.r FROM budget_counters WHERE scope_id LIKE '$p-%')
  FROM before b, first f, again a;
SQL
done
ab_stop
