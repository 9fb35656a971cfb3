-- The rows above the rollup watermark, found by a b-tree on txid instead of V123's BRIN (issue 21;
-- docs/POSTGRES.md "The spend log"). A row committed after a vacuum goes wherever the free-space
-- map finds room for it, in pages all over its partition, not at the partition's end: every BRIN
-- page range then held a txid above the watermark and matched, so the tail of every report and
-- every rollup run read every block of every partition (measured: 517 of 1,050 blocks for 200 new
-- rows, SpendLogTailTest; at 2 million rows the rollup path was slower than reading spend_log).
-- The b-tree is inserted at its right edge (txids grow) and deduplicates the rows of one batched
-- settle, which share a txid; the tail and the rollup's [lo, hi) become range scans of it.
-- CREATE INDEX on a partitioned table cannot be CONCURRENTLY: on a large spend log this blocks
-- settles for the time of one index build per partition (SpendLogBench built the five secondary
-- indexes of 10 million rows in 4.4 min on a busy 2-core box; this one is the smallest).
DROP INDEX spend_log_txid;
CREATE INDEX spend_log_txid ON spend_log (txid);

-- As V123's, without the BRIN summarising (there is no BRIN left to summarise).
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
  RETURN n;
END
$$;
