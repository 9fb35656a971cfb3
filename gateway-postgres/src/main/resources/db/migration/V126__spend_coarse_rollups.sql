-- Coarser daily rollups beside spend_daily (issue 21; docs/POSTGRES.md "The spend log"). At 10
-- million rows spend_daily (day, key, user, team, model) holds one row for every ~6 spend rows
-- (1.57 M a month at 5,000 keys x 12 models), and a month report grouping them took 1.4-3 s. Each
-- report now reads the coarsest table holding its group and filter columns (SpendRollups):
--   spend_daily_team (day, team, model): team, model and day reports, the UI charts (60 teams x
--     12 models: ~21,000 rows a month);
--   spend_daily_user (day, user, team): user reports (~43,000 rows a month at 1,500 users);
--   spend_daily_key (day, key, user, team): key reports (one row per key and day: 150,000).
-- All are written by spend_rollup() in the statement that writes spend_daily, from the same
-- grouped rows of [lo, hi): each rollup plus the tail above the watermark equals the spend log.
CREATE TABLE spend_daily_team (
  day                 date   NOT NULL,
  team_id             text,
  model               text   NOT NULL,
  requests            bigint NOT NULL CHECK (requests >= 0),
  input_tokens        bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens       bigint NOT NULL CHECK (output_tokens >= 0),
  cache_read_tokens   bigint NOT NULL CHECK (cache_read_tokens >= 0),
  cache_write_tokens  bigint NOT NULL CHECK (cache_write_tokens >= 0),
  cost_nanos          bigint NOT NULL CHECK (cost_nanos >= 0),
  CONSTRAINT spend_daily_team_group UNIQUE NULLS NOT DISTINCT (day, team_id, model)
);

CREATE TABLE spend_daily_user (
  day                 date   NOT NULL,
  user_id             text,
  team_id             text,
  requests            bigint NOT NULL CHECK (requests >= 0),
  input_tokens        bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens       bigint NOT NULL CHECK (output_tokens >= 0),
  cache_read_tokens   bigint NOT NULL CHECK (cache_read_tokens >= 0),
  cache_write_tokens  bigint NOT NULL CHECK (cache_write_tokens >= 0),
  cost_nanos          bigint NOT NULL CHECK (cost_nanos >= 0),
  CONSTRAINT spend_daily_user_group UNIQUE NULLS NOT DISTINCT (day, user_id, team_id)
);

CREATE TABLE spend_daily_key (
  day                 date   NOT NULL,
  key_id              text   NOT NULL,
  user_id             text,
  team_id             text,
  requests            bigint NOT NULL CHECK (requests >= 0),
  input_tokens        bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens       bigint NOT NULL CHECK (output_tokens >= 0),
  cache_read_tokens   bigint NOT NULL CHECK (cache_read_tokens >= 0),
  cache_write_tokens  bigint NOT NULL CHECK (cache_write_tokens >= 0),
  cost_nanos          bigint NOT NULL CHECK (cost_nanos >= 0),
  CONSTRAINT spend_daily_key_group UNIQUE NULLS NOT DISTINCT (day, key_id, user_id, team_id)
);

-- No rollup run may commit between the fill below and the new spend_rollup(): the fill is exact
-- against the watermark only while the lock is held (released at this migration's commit).
SELECT pg_advisory_xact_lock(hashtext('spend_rollup'));

-- A run of the old function already waiting for that lock would, once it has it, add its rows to
-- spend_daily alone. Renaming the constraint its ON CONFLICT names makes such a run fail (and roll
-- back; the next run, with the new function, adds them everywhere) instead of diverging.
ALTER TABLE spend_daily RENAME CONSTRAINT spend_daily_group TO spend_daily_grain;

INSERT INTO spend_daily_team (day, team_id, model, requests, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cost_nanos)
  SELECT day, team_id, model, sum(requests), sum(input_tokens), sum(output_tokens),
         sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos)
    FROM spend_daily GROUP BY 1, 2, 3;
INSERT INTO spend_daily_user (day, user_id, team_id, requests, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cost_nanos)
  SELECT day, user_id, team_id, sum(requests), sum(input_tokens), sum(output_tokens),
         sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos)
    FROM spend_daily GROUP BY 1, 2, 3;
INSERT INTO spend_daily_key (day, key_id, user_id, team_id, requests, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cost_nanos)
  SELECT day, key_id, user_id, team_id, sum(requests), sum(input_tokens), sum(output_tokens),
         sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos)
    FROM spend_daily GROUP BY 1, 2, 3, 4;

-- As V125's, writing the four rollups in one statement: [lo, hi) is read and grouped once (the
-- fine CTE, by the txid b-tree), and each coarser table adds the sums of its groups.
CREATE OR REPLACE FUNCTION spend_rollup() RETURNS bigint LANGUAGE plpgsql AS $$
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
  -- EXECUTE: planned with this run's lo and hi (an index range scan of each partition's txid
  -- b-tree for the minute's rows; a sequential scan for a first run over everything).
  EXECUTE 'WITH fine AS MATERIALIZED ('
    ' SELECT (ended_at AT TIME ZONE ''UTC'')::date AS day, key_id, user_id, team_id, model,'
    ' count(*) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,'
    ' coalesce(sum(output_tokens), 0) AS output_tokens,'
    ' coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,'
    ' coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens, sum(cost_nanos) AS cost_nanos'
    ' FROM spend_log WHERE txid >= $1 AND txid < $2 GROUP BY 1, 2, 3, 4, 5),'
    ' team AS (INSERT INTO spend_daily_team AS d (day, team_id, model, requests, input_tokens,'
    '  output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos)'
    '  SELECT day, team_id, model, sum(requests), sum(input_tokens), sum(output_tokens),'
    '  sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos) FROM fine GROUP BY 1, 2, 3'
    '  ON CONFLICT ON CONSTRAINT spend_daily_team_group DO UPDATE SET'
    '  requests = d.requests + excluded.requests,'
    '  input_tokens = d.input_tokens + excluded.input_tokens,'
    '  output_tokens = d.output_tokens + excluded.output_tokens,'
    '  cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,'
    '  cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,'
    '  cost_nanos = d.cost_nanos + excluded.cost_nanos),'
    ' usr AS (INSERT INTO spend_daily_user AS d (day, user_id, team_id, requests, input_tokens,'
    '  output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos)'
    '  SELECT day, user_id, team_id, sum(requests), sum(input_tokens), sum(output_tokens),'
    '  sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos) FROM fine GROUP BY 1, 2, 3'
    '  ON CONFLICT ON CONSTRAINT spend_daily_user_group DO UPDATE SET'
    '  requests = d.requests + excluded.requests,'
    '  input_tokens = d.input_tokens + excluded.input_tokens,'
    '  output_tokens = d.output_tokens + excluded.output_tokens,'
    '  cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,'
    '  cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,'
    '  cost_nanos = d.cost_nanos + excluded.cost_nanos),'
    ' k AS (INSERT INTO spend_daily_key AS d (day, key_id, user_id, team_id, requests,'
    '  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos)'
    '  SELECT day, key_id, user_id, team_id, sum(requests), sum(input_tokens), sum(output_tokens),'
    '  sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_nanos)'
    '  FROM fine GROUP BY 1, 2, 3, 4'
    '  ON CONFLICT ON CONSTRAINT spend_daily_key_group DO UPDATE SET'
    '  requests = d.requests + excluded.requests,'
    '  input_tokens = d.input_tokens + excluded.input_tokens,'
    '  output_tokens = d.output_tokens + excluded.output_tokens,'
    '  cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,'
    '  cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,'
    '  cost_nanos = d.cost_nanos + excluded.cost_nanos)'
    ' INSERT INTO spend_daily AS d (day, key_id, user_id, team_id, model, requests,'
    ' input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos)'
    ' SELECT * FROM fine'
    ' ON CONFLICT ON CONSTRAINT spend_daily_grain DO UPDATE SET'
    ' requests = d.requests + excluded.requests,'
    ' input_tokens = d.input_tokens + excluded.input_tokens,'
    ' output_tokens = d.output_tokens + excluded.output_tokens,'
    ' cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,'
    ' cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,'
    ' cost_nanos = d.cost_nanos + excluded.cost_nanos'
    USING lo, hi;
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE spend_rollup_state SET rolled_below = hi, rolled_at = now();
  RETURN n;
END
$$;

-- Statistics for the new tables now (autovacuum would take its time; cheap at this size).
ANALYZE spend_daily_team, spend_daily_user, spend_daily_key;
