-- Settled and expired reservations are deleted instead of kept with their state: only held ones
-- remain, so reservations and reservation_lines (deleted with them, ON DELETE CASCADE) no longer
-- grow by several rows per request forever, and a settle writes no new row version (with its
-- index entries) for the reservation. Idempotency does not need the old rows: a settle or expiry
-- acts only on a held reservation, and spend_log.reservation_id is unique.
--
-- The single settle and the sweeper's expiry are statements in PostgresBudgetLedger; this replaces
-- the batched settle (V101), which keeps its commit without the WAL flush wait.

DELETE FROM reservations WHERE state <> 'held';

CREATE OR REPLACE FUNCTION ledger_settle_batch(p_rows jsonb)
  RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  l record;
  v_ids text[];
  v_amounts bigint[];
  v_costs bigint[];
BEGIN
  -- Transaction-scoped (is_local): applies to this statement's own commit only (see V101).
  PERFORM set_config('synchronous_commit', 'off', true);

  -- The held ones among them, locked (reservation rows before counters, as everywhere), with the
  -- spend rows written.
  WITH input AS (
         SELECT * FROM jsonb_populate_recordset(NULL::spend_log, p_rows)),
       r AS (
         SELECT res.id, res.amount_nanos, i.cost_nanos
           FROM reservations res JOIN input i ON res.id = i.reservation_id
           WHERE res.state = 'held'
           FOR UPDATE OF res),
       s AS (
         INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,
             deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
             usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
           SELECT i.reservation_id, i.request_id, i.key_id, i.user_id, i.team_id, i.model,
               i.deployment_id, i.input_tokens, i.output_tokens, i.cache_read_tokens,
               i.cache_write_tokens, i.usage_source, i.cost_nanos, i.status, i.error_type,
               i.latency_ms, i.started_at, i.ended_at
             FROM input i JOIN r ON r.id = i.reservation_id)
  SELECT array_agg(r.id), array_agg(r.amount_nanos), array_agg(r.cost_nanos)
    INTO v_ids, v_amounts, v_costs FROM r;

  FOR l IN
    SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
        sum(a.amount) AS released, sum(a.cost) AS charged
      FROM unnest(v_ids, v_amounts, v_costs) AS a(id, amount, cost)
        JOIN reservation_lines rl ON rl.reservation_id = a.id
      GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period
      ORDER BY ledger_kind_rank(rl.scope_kind), rl.scope_id COLLATE "C",
        rl.time_window COLLATE "C", rl.period COLLATE "C"
  LOOP
    UPDATE budget_counters
      SET reserved_nanos = reserved_nanos - l.released,
          committed_nanos = committed_nanos + l.charged
      WHERE scope_kind = l.scope_kind AND scope_id = l.scope_id AND time_window = l.time_window
        AND period = l.period;
  END LOOP;

  -- Last, once their lines have been read: the lines go with them (ON DELETE CASCADE).
  DELETE FROM reservations WHERE id = ANY(v_ids);
  RETURN coalesce(array_length(v_ids, 1), 0);
END
$$;
