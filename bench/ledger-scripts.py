#!/usr/bin/env python3
"""pgbench scripts of the leases-off path's two ledger calls, written into the directory given:
reserve1.sql (one reserve on two counters), settle1.sql (a reserve and the settle of it) and
settle5.sql (five reserves and one settle of the five), and batch15_json.sql / batch15_cols.sql (one
batched reserve of 15 requests on two lines each, as JSON for V132's ledger_reserve_batch(jsonb) and
as columns for V135's). Used by bench/ledger-calls.sh and bench/settle-ab.sh. Reservation ids come from the 64-bit range: a repeated id ends the client."""
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

# One batched reserve of N requests, two lines each (two teams, four users), both ways.
import json
N = 15
PENDING = '{"requestId": "r", "keyId": "k", "userId": "u", "teamId": "t", "model": "m", "startedAt": "2026-12-07T00:00:00Z"}'
LIMIT = 10 ** 15
def lines(i):
    return [("TEAM", "t%d" % (i % 2), "DAILY", "2026-12-07@UTC"), ("USER", "u%d" % (i % 4), "MONTHLY", "2026-12@UTC")]
items = [{"id": "ID-%d" % i, "amount": 1000, "now": "2026-12-07T10:00:00Z", "expires": "2026-12-07T10:01:00Z",
          "pending": json.loads(PENDING),
          "lines": [{"kind": k, "id": s, "window": w, "period": p, "limit": LIMIT, "resets": "2026-12-08T00:00:00Z"}
                    for (k, s, w, p) in lines(i)]} for i in range(N)]
doc = json.dumps(items).replace("'", "''")
open(f"{W}/batch15_json.sql", "w").write(
    head + "SELECT count(*) FROM ledger_reserve_batch(CAST(replace('%s', 'ID-', 'b' || :n || '-' || :client_id || '-') AS jsonb));\n" % doc)
def arr(vals, t):
    return "ARRAY[%s]::%s[]" % (",".join(vals), t)
flat = [(i,) + l for i in range(N) for l in lines(i)]
q = "'"
cols = [arr(["'b' || :n || '-' || :client_id || '-%d'" % i for i in range(N)], "text"), arr(["1000"] * N, "bigint"),
        arr(["'2026-12-07T10:00:00Z'"] * N, "timestamptz"), arr(["'2026-12-07T10:01:00Z'"] * N, "timestamptz"),
        arr([q + PENDING + q] * N, "text"), arr([str(x[0] + 1) for x in flat], "int"),
        arr([q + x[1] + q for x in flat], "text"), arr([q + x[2] + q for x in flat], "text"),
        arr([q + x[3] + q for x in flat], "text"), arr([q + x[4] + q for x in flat], "text"),
        arr([str(LIMIT)] * len(flat), "bigint"), arr(["'2026-12-08T00:00:00Z'"] * len(flat), "timestamptz")]
open(f"{W}/batch15_cols.sql", "w").write(head + "SELECT count(*) FROM ledger_reserve_batch(%s);\n" % ", ".join(cols))
