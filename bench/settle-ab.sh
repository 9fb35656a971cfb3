#!/usr/bin/env bash
# bench/ledger-calls.sh's three scripts (reserve1, settle1, settle5) against two databases of one
# PostgreSQL server, interleaved (A B A B ...), each run starting from empty reservations and
# reservation_lines: the settle's generic plan reads reservations whole (a separate fix), so without
# the reset its cost grows with every script run before it. Backend CPU per script from /proc.
# Session 14: A at V129 (spend_log's 16 table checks), B at V131 (domains).
# Usage: PGHOST=... PGPORT=... [ROUNDS=3] bench/settle-ab.sh DB_A DB_B
set -u
W=$(mktemp -d /tmp/settle-ab.XXXX)
python3 - "$W" <<'PY'
import sys
W = sys.argv[1]
def reserve(i):
    return ("SELECT ledger_reserve('pgb-' || :n || '-' || :client_id || '-%d', 1000, now(), now() + interval '60 s', "
            "'{\"requestId\": \"r\", \"keyId\": \"k\", \"userId\": \"u\", \"teamId\": \"t\", \"model\": \"m\", \"startedAt\": \"2026-12-07T00:00:00Z\"}', "
            "'{TEAM,USER}', '{tb,ub}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}', '{1000000000000000,1000000000000000}', "
            "'{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}');") % i
def settle(n):
    ids = ",".join("'pgb-' || :n || '-' || :client_id || '-%d'" % i for i in range(n))
    arr = lambda v, t: "ARRAY[%s]::%s[]" % (",".join([v] * n), t)
    cols = [arr("'k'", "text"), arr("'u'", "text"), arr("'t'", "text"), arr("'m'", "text"), arr("'d'", "text"),
            arr("10", "bigint"), arr("5", "bigint"), arr("0", "bigint"), arr("0", "bigint"), arr("'REPORTED'", "text"),
            arr("700", "bigint"), arr("'SUCCESS'", "text"), arr("NULL", "text"), arr("3", "bigint"),
            arr("now()", "timestamptz"), arr("now()", "timestamptz")]
    return "SELECT ledger_settle(false, ARRAY[%s], ARRAY[%s], %s);" % (ids, ids, ", ".join(cols))
head = "\\set n random(1, 9000000000000000000)\n"
open(f"{W}/reserve1.sql", "w").write(head + reserve(0) + "\n")
for n in (1, 5):
    open(f"{W}/settle{n}.sql", "w").write(head + "\n".join(reserve(i) for i in range(n)) + "\n" + settle(n) + "\n")
PY
run() { # $1 database, $2 script
  psql -U postgres -d "$1" -qAtc "TRUNCATE reservations, reservation_lines; CHECKPOINT"
  pgbench -U postgres -n -M prepared -c1 -T8 -f $W/$2.sql "$1" > $W/out 2>&1 &
  local bp=$! b u0 s0 u1 s1; sleep 1
  b=$(psql -U postgres -d "$1" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" | head -1)
  read u0 s0 < <(awk '{print $14, $15}' /proc/$b/stat); sleep 6; read u1 s1 < <(awk '{print $14, $15}' /proc/$b/stat)
  wait $bp
  awk -v d=$1 -v f=$2 -v tps=$(awk '/^tps/ {print $3}' $W/out) -v u=$((u1-u0)) -v s=$((s1-s0)) -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%s %s: %.0f scripts/s; backend user %.0f sys %.0f us a script (load %s)\n", d, f, tps, u*10000/(6*tps), s*10000/(6*tps), l}'
}
for _ in $(seq ${ROUNDS:-3}); do for f in reserve1 settle1 settle5; do run $1 $f; run $2 $f; done; done
rm -rf $W
