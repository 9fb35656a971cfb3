#!/usr/bin/env bash
# bench/ledger-calls.sh's three scripts (reserve1, settle1, settle5) against two databases of one
# PostgreSQL server, interleaved (A B A B ...), each run starting from empty reservations and
# reservation_lines, and each run a fixed number of scripts (N_RESERVE1, N_SETTLE1, N_SETTLE5), so
# that both sides end at the same table size (before V130 the settle's plan read reservations
# whole and its cost grew with every script run before it). The backend's whole CPU from /proc /
# scripts.
# Session 14: A at V129 (spend_log's 16 table checks), B at V131 (domains).
# Usage: PGHOST=... PGPORT=... [ROUNDS=3] bench/settle-ab.sh DB_A DB_B
set -u
W=$(mktemp -d /tmp/settle-ab.XXXX)
python3 "$(dirname "$0")/ledger-scripts.py" "$W"
declare -A N=([reserve1]=${N_RESERVE1:-4000} [settle1]=${N_SETTLE1:-2000} [settle5]=${N_SETTLE5:-800})
run() { # $1 database, $2 script: a fixed number of scripts, so both sides end at the same table size
  psql -U postgres -d "$1" -qAtc "TRUNCATE reservations, reservation_lines; CHECKPOINT"
  # (the last run's backend may still be listed)
  until [ "$(psql -U postgres -d "$1" -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench'")" = 0 ]; do sleep 0.1; done
  pgbench -U postgres -n -M prepared -c1 -t ${N[$2]} -f $W/$2.sql "$1" > $W/out 2>&1 &
  local bp=$! b= t=0
  # pgbench's first connection (a version check) ends at once: take the backend still there later
  sleep 0.5
  while [ -z "$b" ]; do
    b=$(psql -U postgres -d "$1" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" | head -1)
  done
  # the backend's CPU since it started (its connection set-up included), last read before it exits
  while t2=$(awk '{print $14, $15}' /proc/$b/stat 2>/dev/null); do t=$t2; sleep 0.05; done
  wait $bp
  read u s <<< "$t"
  awk -v d=$1 -v f=$2 -v n=${N[$2]} -v tps=$(awk '/^tps/ {print $3}' $W/out) -v u=$u -v s=$s -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%s %s: %d scripts, %.0f scripts/s; backend user %.0f sys %.0f us a script (load %s)\n", d, f, n, tps, u*10000/n, s*10000/n, l}'
}
for _ in $(seq ${ROUNDS:-3}); do for f in reserve1 settle1 settle5; do run $1 $f; run $2 $f; done; done
rm -rf $W
