#!/usr/bin/env bash
# Where a running gateway's PostgreSQL time goes, by statement and wait event, while a load runs.
# Samples pg_stat_activity every ~2 ms from one server-side loop (no client round trip per sample),
# then prints, for each (wait event, statement) of an active backend, the backend-milliseconds it
# took per request: samples x sampling interval / requests. "CPU" is an active backend with no wait event
# (running, or runnable waiting for a core); "Lock transactionid" is a row lock held by another
# transaction. The load is any command given after the port, e.g. a wrk run (its "requests in" line
# gives the request count; otherwise pass REQUESTS=n). Needs psql; the sampler itself costs one
# backend ~10-20 % of a core.
#
# Usage: bench/pg-waits.sh <postgres port> <load command...>
#   bench/pg-waits.sh 33431 wrk -t1 -c1 -d12s -s bench/chat.lua http://127.0.0.1:4100/v1/chat/completions
# (the demo-mode database's port is line 4 of <GATEWAY_DATA_DIR>/postgres/postmaster.pid).
# Used for docs/PERFORMANCE.md "Eleventh session: the reservation path's lock waits".
set -euo pipefail
PORT="$1"
shift
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U postgres -d "${PGDATABASE:-gateway}" -Atq)
"${PSQL[@]}" -c "DROP TABLE IF EXISTS bench_waits" -c "CREATE UNLOGGED TABLE bench_waits (t timestamptz,
  pid int, state text, wait_type text, wait_event text, query text)"
OUT=$(mktemp)
# One backend samples until the stop row appears (each statement of the loop sees other sessions'
# commits: READ COMMITTED), so the samples cover the whole load.
"${PSQL[@]}" -c "DO \$\$
BEGIN
  LOOP
    PERFORM pg_stat_clear_snapshot();
    INSERT INTO bench_waits SELECT clock_timestamp(), pid, state, wait_event_type, wait_event,
        left(query, 40)
      FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database();
    INSERT INTO bench_waits SELECT clock_timestamp(), 0, 'tick', NULL, NULL, NULL;
    EXIT WHEN EXISTS (SELECT 1 FROM bench_waits WHERE state = 'stop');
    PERFORM pg_sleep(0.002);
  END LOOP;
END \$\$" &
SAMPLER=$!
sleep 0.5
"$@" >"$OUT" 2>&1 || true
"${PSQL[@]}" -c "INSERT INTO bench_waits VALUES (clock_timestamp(), 0, 'stop', NULL, NULL, NULL)"
wait "$SAMPLER" || true
cat "$OUT"
REQS="${REQUESTS:-$(awk '/requests in/ {print $1}' "$OUT")}"
SPAN="WITH span AS (SELECT count(*) AS n, extract(epoch FROM max(t) - min(t)) * 1000 AS ms
  FROM bench_waits WHERE state = 'tick')"
"${PSQL[@]}" -c "$SPAN SELECT 'sampled ' || n || ' times over ' || round(ms) || ' ms (every '
  || round((ms / n)::numeric, 2) || ' ms); backend-ms per request ($REQS requests):' FROM span"
"${PSQL[@]}" -F ' | ' -c "$SPAN SELECT round((count(*) * (SELECT ms / n FROM span) / $REQS)::numeric, 3),
      coalesce(w.wait_type || ' ' || w.wait_event, 'CPU'), w.query
    FROM bench_waits w WHERE w.state = 'active'
    GROUP BY 2, 3 ORDER BY 1 DESC LIMIT ${ROWS:-15}"
rm -f "$OUT"
