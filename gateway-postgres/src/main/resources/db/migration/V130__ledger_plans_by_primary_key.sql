-- The ledger's functions find reservations and counters by primary key whatever the table
-- statistics say (issue 18, docs/PERFORMANCE.md "Fourteenth session: plans that grew with the
-- table").
--
-- Why: ledger_settle and ledger_write_batch keep one generic plan per connection (V116, V124),
-- planned from the statistics of the moment that connection first calls them. Two of those plans
-- cost more the longer they ran:
-- 1. Planned while reservations was small (a new database, a database after the purge, every
--    benchmark), ledger_settle hashed a sequential scan of the whole table: with pgbench, a
--    reserve and the settle of it went from 1.9 to 3.9 ms of backend CPU while the table grew by
--    some 60,000 rows (75 s), until autovacuum's ANALYZE happened to invalidate the plan.
-- 2. Planned once the statistics show few held reservations, the settle ANDed the primary key
--    with the sweeper's partial index of held reservations. A settled row leaves that index only
--    at vacuum, and a bitmap scan reads every entry, dead or alive (4,327 for one settle).
-- Now:
-- - The functions that look rows up by key plan with enable_seqscan and enable_bitmapscan off: a
--   sequential or bitmap scan is taken only where no index serves a statement, so each statement
--   probes the primary keys. ledger_reserve is left alone: it reaches the counters through ON
--   CONFLICT's arbiter index (no plan choice) and reads a counter only to explain a refusal, and a
--   SET clause costs every call a GUC save and restore.
-- - The sweeper's index covers the reservations without settled_at. Every transition out of
--   'held' sets settled_at (settle, release, expiry: V101-V128, PostgresBudgetLedger), so the
--   index holds the same rows as before (and a row an old version ended without settled_at would
--   only make it larger; readers still test state). The settles state only state = 'held', which
--   cannot choose it; the sweeper's expiry and the lease check (leasedOn) state both.
--   Building it reads reservations once under the migration's lock: about a day of reservations.

ALTER FUNCTION ledger_settle(boolean, text[], text[], text[], text[], text[], text[], text[],
    bigint[], bigint[], bigint[], bigint[], text[], bigint[], text[], text[], bigint[],
    timestamptz[], timestamptz[])
  SET enable_seqscan = off SET enable_bitmapscan = off;
ALTER FUNCTION ledger_write_batch(jsonb, boolean)
  SET enable_seqscan = off SET enable_bitmapscan = off;
ALTER FUNCTION ledger_reserve_batch(jsonb)
  SET enable_seqscan = off SET enable_bitmapscan = off;
ALTER FUNCTION ledger_abandon(jsonb)
  SET enable_seqscan = off SET enable_bitmapscan = off;
ALTER FUNCTION ledger_release(text, bigint, bigint)
  SET enable_seqscan = off SET enable_bitmapscan = off;

DROP INDEX reservations_held_by_expiry;
CREATE INDEX reservations_open_by_expiry ON reservations (expires_at) WHERE settled_at IS NULL;
