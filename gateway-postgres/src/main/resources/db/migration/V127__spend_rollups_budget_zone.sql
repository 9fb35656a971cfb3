-- The daily rollups' day is the budget time zone's calendar day (issue 21; docs/POSTGRES.md "The
-- spend log"). Until V126 they held UTC days, so with another budget zone the day report and the
-- UI's daily charts (grouped on that zone's days) could not use them and read spend_log whole
-- (25 s at 10 million rows). Now spend_rollup() reads the zone from gateway_settings (UTC while no
-- instance has stored one), and a zone change rebuilds the rollups in its transaction
-- (spend_rollup_rebuild(), called by BudgetZoneSetting), so the rollups' days are always the zone
-- stored beside them, which the readers (SpendRollupSql) read in the same snapshot.

-- No rollup run may commit between the rebuild below and the new spend_rollup().
SELECT pg_advisory_xact_lock(hashtext('spend_rollup'));

-- The zone as the tz database's region and a shift added to its local time. Java stores a fixed
-- offset as '+02:00' (or 'UTC+02:00', 'GMT-05:00', 'Z'); PostgreSQL would read those as POSIX
-- zones, whose sign is inverted, so an offset is added to UTC's clock by hand.
CREATE FUNCTION spend_rollup_zone(OUT region text, OUT shift interval) LANGUAGE plpgsql STABLE AS $$
DECLARE
  z text := coalesce((SELECT budget_timezone FROM gateway_settings), 'UTC');
  rest text := regexp_replace(z, '^(UTC|GMT|UT)(?=[+-])', '');
BEGIN
  IF rest = 'Z' THEN
    region := 'UTC';
    shift := interval '0';
  ELSIF rest ~ '^[+-]' THEN
    region := 'UTC';
    shift := rest::interval;
  ELSE
    region := z;
    shift := interval '0';
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION spend_rollup() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  lo bigint;
  hi bigint;
  n bigint;
  zone record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('spend_rollup'));
  -- (the row is only missing where a test emptied every table)
  INSERT INTO spend_rollup_state (rolled_below) VALUES (0) ON CONFLICT DO NOTHING;
  SELECT s.rolled_below, pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    INTO lo, hi FROM spend_rollup_state s;
  IF hi <= lo THEN
    RETURN 0;
  END IF;
  zone := spend_rollup_zone();
  -- EXECUTE: planned with this run's lo and hi (an index range scan of each partition's txid
  -- b-tree for the minute's rows; a sequential scan for a first run over everything).
  EXECUTE 'WITH fine AS MATERIALIZED ('
    ' SELECT ((ended_at AT TIME ZONE $3) + $4)::date AS day, key_id, user_id, team_id, model,'
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
    USING lo, hi, zone.region, zone.shift;
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE spend_rollup_state SET rolled_below = hi, rolled_at = now();
  RETURN n;
END
$$;


-- Re-rolls every row on the stored zone's days, in the caller's transaction: empties the four
-- rollups, resets the watermark and runs spend_rollup() (rows committed after this transaction's
-- snapshot are the next run's tail). Called on a zone change, with every instance stopped.
CREATE FUNCTION spend_rollup_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('spend_rollup'));
  TRUNCATE spend_daily, spend_daily_team, spend_daily_user, spend_daily_key;
  UPDATE spend_rollup_state SET rolled_below = 0;
  RETURN spend_rollup();
END
$$;

-- Existing rollups hold UTC days: rebuilt if the stored zone is another (UTC's are kept as they are).
SELECT spend_rollup_rebuild() FROM spend_rollup_zone() z WHERE z.region <> 'UTC' OR z.shift <> interval '0';
