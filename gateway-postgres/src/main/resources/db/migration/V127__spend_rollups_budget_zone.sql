-- The daily rollups' day is the budget time zone's calendar day (issue 21; docs/POSTGRES.md "The
-- spend log"). Until V126 they held UTC days, so with another budget zone the day report and the
-- UI's daily charts (grouped on that zone's days) could not use them and read spend_log whole
-- (25 s at 10 million rows). Now spend_rollup() reads the zone from gateway_settings (UTC while no
-- instance has stored one), and a zone change rebuilds the rollups in its transaction
-- (spend_rollup_rebuild(old zone), called by BudgetZoneSetting), so the rollups' days are always the zone
-- stored beside them, which the readers (SpendRollupSql) read in the same snapshot.

-- No rollup run may commit between the rebuild below and the new spend_rollup().
SELECT pg_advisory_xact_lock(hashtext('spend_rollup'));

-- The zone as the tz database's region and a shift added to its local time. Java stores a fixed
-- offset as '+02:00' (or 'UTC+02:00', 'GMT-05:00', 'Z'); PostgreSQL would read those as POSIX
-- zones, whose sign is inverted, so an offset is added to UTC's clock by hand.
CREATE FUNCTION spend_rollup_zone(z text, OUT region text, OUT shift interval)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
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
  zone := spend_rollup_zone(coalesce((SELECT budget_timezone FROM gateway_settings), 'UTC'));
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


-- Re-rolls every row on the stored zone's days, in the caller's transaction (a zone change, with
-- every instance stopped; V127). What the rollups hold beyond the spend log (the months retention
-- has dropped) is kept on the days of old_zone, the zone they were rolled in: each rollup row less
-- the spend_log rows below the watermark of its group and day. The tables are then emptied, those
-- remainders put back, the watermark reset and every spend_log row rolled up again on the stored
-- zone's days (a remainder and a new row of one group and day add up). Rows committed after this
-- transaction's snapshot are the next run's tail.
CREATE FUNCTION spend_rollup_rebuild(old_zone text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  o record := spend_rollup_zone(old_zone);
  w bigint;
  t text[];
  sums text := 'requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,'
    ' cost_nanos';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('spend_rollup'));
  SELECT coalesce((SELECT rolled_below FROM spend_rollup_state), 0) INTO w;
  FOREACH t SLICE 1 IN ARRAY ARRAY[
      ['spend_daily', 'key_id, user_id, team_id, model'],
      ['spend_daily_team', 'team_id, model'],
      ['spend_daily_user', 'user_id, team_id'],
      ['spend_daily_key', 'key_id, user_id, team_id']] LOOP
    EXECUTE format('CREATE TEMP TABLE spend_rollup_kept ON COMMIT DROP AS'
      ' SELECT day, %2$s, sum(requests) AS requests, sum(input_tokens) AS input_tokens,'
      ' sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,'
      ' sum(cache_write_tokens) AS cache_write_tokens, sum(cost_nanos) AS cost_nanos FROM ('
      '  SELECT day, %2$s, %3$s FROM %1$I'
      '  UNION ALL SELECT ((ended_at AT TIME ZONE $1) + $2)::date, %2$s, -1,'
      '  -coalesce(input_tokens, 0), -coalesce(output_tokens, 0), -coalesce(cache_read_tokens, 0),'
      '  -coalesce(cache_write_tokens, 0), -cost_nanos FROM spend_log WHERE txid < $3) x'
      ' GROUP BY day, %2$s HAVING sum(requests) <> 0', t[1], t[2], sums)
      USING o.region, o.shift, w;
    EXECUTE format('TRUNCATE %I', t[1]);
    EXECUTE format('INSERT INTO %1$I (day, %2$s, %3$s) SELECT day, %2$s, %3$s'
      ' FROM spend_rollup_kept', t[1], t[2], sums);
    DROP TABLE spend_rollup_kept;
  END LOOP;
  UPDATE spend_rollup_state SET rolled_below = 0;
  RETURN spend_rollup();
END
$$;

-- Existing rollups hold UTC days: re-rolled if the stored zone is another (UTC's are kept as
-- they are).
SELECT spend_rollup_rebuild('UTC')
  FROM spend_rollup_zone(coalesce((SELECT budget_timezone FROM gateway_settings), 'UTC')) z
 WHERE z.region <> 'UTC' OR z.shift <> interval '0';
