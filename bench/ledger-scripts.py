#!/usr/bin/env python3
"""pgbench scripts of the leases-off path's two ledger calls, written into the directory given:
reserve1.sql (one reserve on two counters), settle1.sql (a reserve and the settle of it) and
settle5.sql (five reserves and one settle of the five). Used by bench/ledger-calls.sh and
bench/settle-ab.sh. Reservation ids come from the 64-bit range: a repeated id ends the client."""
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
head = "\\set n random(1, 9000000000000000000)\n"  # ids must not repeat: a duplicate ends the client
open(f"{W}/reserve1.sql", "w").write(head + reserve(0) + "\n")
for n in (1, 5):
    open(f"{W}/settle{n}.sql", "w").write(head + "\n".join(reserve(i) for i in range(n)) + "\n" + settle(n) + "\n")
