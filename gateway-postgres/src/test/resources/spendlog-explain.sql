-- docs/POSTGRES.md "The spend log": EXPLAIN of the by-key month report on a SpendLogBench database,
-- from the rollups (the SQL SpendRollupSql builds, watermark inlined) and from spend_log alone.
-- psql -d <the bench's database> -f spendlog-explain.sql
\timing on
-- report by key, 30 whole days, as SpendRollupSql builds it (watermark from spend_rollup_state)
SELECT rolled_below AS w FROM spend_rollup_state \gset
EXPLAIN (ANALYZE, BUFFERS) SELECT grp, sum(requests)::bigint, sum(cost)::bigint AS cost FROM (
  SELECT key_id AS grp, requests, cost_nanos AS cost FROM spend_daily WHERE day >= '2026-09-01' AND day < '2026-10-01'
  UNION ALL SELECT key_id, 1, cost_nanos FROM spend_log WHERE txid >= :w AND ended_at >= '2026-09-01' AND ended_at < '2026-10-01'
) src GROUP BY 1 HAVING sum(requests) <> 0 ORDER BY cost DESC, grp;
-- the same from spend_log alone (before V123)
EXPLAIN (ANALYZE, BUFFERS) SELECT key_id, count(*), sum(cost_nanos) AS cost FROM spend_log
  WHERE ended_at >= '2026-09-01' AND ended_at < '2026-10-01' GROUP BY 1 ORDER BY cost DESC, 1;
