-- The spend log, partitioned by month, with daily rollups (issue 21; docs/POSTGRES.md "The spend
-- log"). Three things change for a writer, nothing else:
--   * spend_log is PARTITION BY RANGE (ended_at), one partition per UTC month (spend_log_pYYYYMM)
--     plus spend_log_default, which catches a row no monthly partition takes (a clock far ahead, a
--     server that did not run its partition job for months) so that a settle never fails for want
--     of a partition;
--   * a unique index on a partitioned table must hold the partition key, so UNIQUE (reservation_id)
--     becomes UNIQUE (ended_at, reservation_id). It also replaces the old ended_at index and the
--     primary key on id, which nothing looked up: 7 b-tree indexes become 5 plus one BRIN. A draw
--     repeated is the same Settlement, so the same ended_at: ON CONFLICT still drops it (below);
--   * txid: the inserting transaction's id (pg_current_xact_id), which the rollup job uses as its
--     watermark: once every transaction below a txid has ended, no row below it can still appear.
--     A BRIN index finds the rows above a watermark in every partition (late rows with old
--     ended_at land in old partitions, at their physical end).

-- The old table: its indexes go first (their names are reused, and the copy is faster without).
ALTER TABLE spend_log RENAME TO spend_log_v122;
DROP INDEX spend_log_ended, spend_log_key, spend_log_user, spend_log_team, spend_log_request;
ALTER TABLE spend_log_v122 DROP CONSTRAINT spend_log_pkey,
  DROP CONSTRAINT spend_log_reservation_id_key;

CREATE TABLE spend_log (
  id                   bigint      GENERATED ALWAYS AS IDENTITY,
  reservation_id       text,
  request_id           text        NOT NULL CHECK (char_length(request_id) BETWEEN 1 AND 256),
  key_id               text        NOT NULL CHECK (char_length(key_id) BETWEEN 1 AND 256),
  user_id              text        CHECK (char_length(user_id) <= 256),
  team_id              text        CHECK (char_length(team_id) <= 256),
  model                text        NOT NULL CHECK (char_length(model) BETWEEN 1 AND 256),
  deployment_id        text        CHECK (char_length(deployment_id) <= 256),
  input_tokens         bigint      CHECK (input_tokens >= 0),
  output_tokens        bigint      CHECK (output_tokens >= 0),
  cache_read_tokens    bigint      CHECK (cache_read_tokens >= 0),
  cache_write_tokens   bigint      CHECK (cache_write_tokens >= 0),
  usage_source         text        CHECK (usage_source IN ('REPORTED', 'ESTIMATED')),
  cost_nanos           bigint      NOT NULL CHECK (cost_nanos >= 0),
  status               text        NOT NULL CHECK (status IN ('SUCCESS', 'ERROR', 'CANCELLED', 'EXPIRED', 'PENDING')),
  error_type           text        CHECK (char_length(error_type) <= 256),
  latency_ms           bigint      NOT NULL CHECK (latency_ms >= 0),
  started_at           timestamptz NOT NULL,
  ended_at             timestamptz NOT NULL,
  txid                 bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
  CHECK ((input_tokens IS NULL) = (usage_source IS NULL)),
  CONSTRAINT spend_log_reservation UNIQUE (ended_at, reservation_id)
) PARTITION BY RANGE (ended_at);
CREATE INDEX spend_log_key ON spend_log (key_id, ended_at);
CREATE INDEX spend_log_user ON spend_log (user_id, ended_at);
CREATE INDEX spend_log_team ON spend_log (team_id, ended_at);
CREATE INDEX spend_log_request ON spend_log (request_id);
CREATE INDEX spend_log_txid ON spend_log USING brin (txid);
CREATE TABLE spend_log_default PARTITION OF spend_log DEFAULT;

-- The UTC month holding p_at, as [start, end).
CREATE FUNCTION spend_log_month(p_at timestamptz, OUT lo timestamptz, OUT hi timestamptz)
  LANGUAGE sql IMMUTABLE AS $$
  SELECT date_trunc('month', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
    (date_trunc('month', p_at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC'
$$;

-- Creates the monthly partitions of p_now's month and the p_ahead months after it that do not
-- exist yet; returns how many it created. Rows the default partition holds for such a month are
-- moved into it first (a partition cannot be created over rows the default holds). Serialised
-- across instances by an advisory lock; safe to call any time.
CREATE FUNCTION spend_log_ensure_partitions(p_now timestamptz, p_ahead int)
  RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  m int;
  lo timestamptz;
  hi timestamptz;
  part text;
  created int := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('spend_log_partitions'));
  FOR m IN 0 .. greatest(p_ahead, 0) LOOP
    SELECT x.lo, x.hi INTO lo, hi FROM spend_log_month(p_now + make_interval(months => m)) x;
    part := 'spend_log_p' || to_char(lo AT TIME ZONE 'UTC', 'YYYYMM');
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    IF EXISTS (SELECT 1 FROM spend_log_default WHERE ended_at >= lo AND ended_at < hi) THEN
      EXECUTE format('CREATE TABLE %I (LIKE spend_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
        part);
      EXECUTE format('WITH m AS (DELETE FROM spend_log_default WHERE ended_at >= $1 AND'
        ' ended_at < $2 RETURNING *) INSERT INTO %I SELECT * FROM m', part) USING lo, hi;
      EXECUTE format('ALTER TABLE spend_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
        part, lo, hi);
    ELSE
      EXECUTE format('CREATE TABLE %I PARTITION OF spend_log FOR VALUES FROM (%L) TO (%L)',
        part, lo, hi);
    END IF;
    created := created + 1;
  END LOOP;
  RETURN created;
END
$$;

-- Daily rollups: one row per UTC day of ended_at, key, user, team and model. Written only by
-- spend_rollup(); rows outlive the partitions retention drops (history stays reportable).
CREATE TABLE spend_daily (
  day                 date   NOT NULL,
  key_id              text   NOT NULL,
  user_id             text,
  team_id             text,
  model               text   NOT NULL,
  requests            bigint NOT NULL CHECK (requests >= 0),
  input_tokens        bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens       bigint NOT NULL CHECK (output_tokens >= 0),
  cache_read_tokens   bigint NOT NULL CHECK (cache_read_tokens >= 0),
  cache_write_tokens  bigint NOT NULL CHECK (cache_write_tokens >= 0),
  cost_nanos          bigint NOT NULL CHECK (cost_nanos >= 0),
  CONSTRAINT spend_daily_group UNIQUE NULLS NOT DISTINCT (day, key_id, user_id, team_id, model)
);

-- The watermark: every spend_log row with txid < rolled_below is in spend_daily, no other is.
CREATE TABLE spend_rollup_state (
  id            boolean     PRIMARY KEY DEFAULT true CHECK (id),
  rolled_below  bigint      NOT NULL CHECK (rolled_below >= 0),
  rolled_at     timestamptz
);
INSERT INTO spend_rollup_state (rolled_below) VALUES (0);

-- Adds the rows of transactions that ended since the last run to spend_daily and moves the
-- watermark; returns the number of rollup rows written. hi is the xmin of a snapshot taken after
-- the lock: every transaction below it has ended (committed rows visible to the next statement,
-- aborted ones never), and no new row can get a txid below it, so [lo, hi) is complete and each
-- row is counted exactly once however late it commits or whatever ended_at it carries.
CREATE FUNCTION spend_rollup() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  lo bigint;
  hi bigint;
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('spend_rollup'));
  -- (the row is only missing where a test emptied every table)
  INSERT INTO spend_rollup_state (rolled_below) VALUES (0) ON CONFLICT DO NOTHING;
  SELECT s.rolled_below, pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    INTO lo, hi FROM spend_rollup_state s;
  IF hi <= lo THEN
    RETURN 0;
  END IF;
  EXECUTE 'INSERT INTO spend_daily AS d (day, key_id, user_id, team_id, model, requests,'
    ' input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos)'
    ' SELECT (ended_at AT TIME ZONE ''UTC'')::date, key_id, user_id, team_id, model, count(*),'
    ' coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),'
    ' coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0), sum(cost_nanos)'
    ' FROM spend_log WHERE txid >= $1 AND txid < $2 GROUP BY 1, 2, 3, 4, 5'
    ' ON CONFLICT ON CONSTRAINT spend_daily_group DO UPDATE SET'
    ' requests = d.requests + excluded.requests,'
    ' input_tokens = d.input_tokens + excluded.input_tokens,'
    ' output_tokens = d.output_tokens + excluded.output_tokens,'
    ' cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,'
    ' cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,'
    ' cost_nanos = d.cost_nanos + excluded.cost_nanos'
    USING lo, hi;
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE spend_rollup_state SET rolled_below = hi, rolled_at = now();
  -- Summarise the BRIN ranges written since the last run (pages this run has just read): an
  -- unsummarised range always matches, so without this the tail of a report (txid >= the
  -- watermark) and the next run would read every partition whole. Vacuum does not do it for an
  -- insert-only table (measured: every heap block read, docs/POSTGRES.md).
  PERFORM brin_summarize_new_values(i.inhrelid)
    FROM pg_inherits i WHERE i.inhparent = 'spend_log_txid'::regclass;
  RETURN n;
END
$$;

-- Drops the monthly partitions wholly older than p_keep_months months before p_now's month (the
-- current month is never dropped), once every row in them is rolled up; returns the names
-- dropped. A partition with rows not yet rolled up is kept for the next run.
CREATE FUNCTION spend_log_drop_partitions(p_now timestamptz, p_keep_months int)
  RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  keep_from timestamptz;
  watermark bigint;
  p record;
  dropped text[] := '{}';
  pending boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('spend_log_partitions'));
  SELECT x.lo INTO keep_from FROM spend_log_month(p_now) x;
  keep_from := keep_from - make_interval(months => greatest(p_keep_months, 0));
  SELECT coalesce((SELECT rolled_below FROM spend_rollup_state), 0) INTO watermark;
  FOR p IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'spend_log'::regclass AND c.relname ~ '^spend_log_p[0-9]{6}$'
        AND (to_date(substr(c.relname, 12), 'YYYYMM')::timestamp + interval '1 month')
            AT TIME ZONE 'UTC' <= keep_from
      ORDER BY c.relname
  LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE txid >= $1)', p.relname)
      INTO pending USING watermark;
    CONTINUE WHEN pending;
    EXECUTE format('DROP TABLE %I', p.relname);
    dropped := dropped || p.relname::text;
  END LOOP;
  RETURN dropped;
END
$$;

-- Partitions for the months the old rows fall in, and this month and the next two; then the copy
-- (ids kept; the identity continues after the largest).
DO $$
DECLARE
  m timestamptz;
  seq text;
BEGIN
  FOR m IN SELECT DISTINCT date_trunc('month', ended_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      FROM spend_log_v122 LOOP
    PERFORM spend_log_ensure_partitions(m, 0);
  END LOOP;
  PERFORM spend_log_ensure_partitions(now(), 2);
  INSERT INTO spend_log (id, reservation_id, request_id, key_id, user_id, team_id, model,
      deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
    OVERRIDING SYSTEM VALUE
    SELECT id, reservation_id, request_id, key_id, user_id, team_id, model, deployment_id,
        input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_source,
        cost_nanos, status, error_type, latency_ms, started_at, ended_at
      FROM spend_log_v122;
  seq := pg_get_serial_sequence('spend_log', 'id');
  PERFORM setval(seq, coalesce((SELECT max(id) FROM spend_log), 0) + 1, false);
END
$$;
DROP TABLE spend_log_v122;

-- Every function whose spend-row insert named the old unique constraint (ledger_write_batch's
-- draws, V104..V116, whichever version is current) now names the new one. Patched in place rather
-- than restated, so that a later rewrite of the function body is kept.
DO $$
DECLARE
  f record;
  def text;
BEGIN
  FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
      AND p.prosrc LIKE '%ON CONFLICT (reservation_id)%' LOOP
    def := pg_get_functiondef(f.oid);
    EXECUTE replace(def, 'ON CONFLICT (reservation_id)', 'ON CONFLICT (ended_at, reservation_id)');
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
      AND p.prosrc LIKE '%ON CONFLICT (reservation_id)%') THEN
    RAISE EXCEPTION 'a function still names ON CONFLICT (reservation_id)';
  END IF;
END
$$;
