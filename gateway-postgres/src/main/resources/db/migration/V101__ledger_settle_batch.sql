-- Settles many reservations in one statement, so that one commit (one WAL flush) serves a whole
-- batch of requests: the gateway's deferred settlement hands its queue over in batches. For each
-- reservation it does what the single settle does: mark it settled if still held (idempotent),
-- write its spend row, and move it out of its counters. The counter updates of the whole batch are
-- summed per counter and applied in lock order (as in V2), so a batch holding several counters'
-- locks never waits on a reserve in a cycle.
--
-- p_rows is a JSON array of spend_log rows (reservation_id set, column names as keys). It is also
-- the single settle (a batch of one, p_durable true: inline settlement promises a durable write).
-- Returns how many reservations were settled.
--
-- Unless p_durable, its commit does not wait for the WAL flush (set_config below, transaction-scoped). Safe for the
-- ledger's promises because of the reservation: a settle lost to a database crash in the few
-- hundred milliseconds before its WAL reaches disk leaves its reservation 'held' (the reserve was
-- committed durably), so the sweeper charges it in full when it expires: spend over-counted after
-- a crash, never lost, no budget overshoot; the same outcome as a gateway dying with settlements
-- queued. Worth it because the batch holds the hot counter rows' locks until its commit returns:
-- without the flush wait, reserves queued behind it get those rows a flush earlier. Any later
-- durable commit (every reserve) flushes the WAL up to and including these settles.
CREATE FUNCTION ledger_settle_batch(p_rows jsonb, p_durable boolean)
  RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  l record;
  v_ids text[];
  v_amounts bigint[];
  v_costs bigint[];
BEGIN
  -- Transaction-scoped (is_local): applies to this statement's own commit only.
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  WITH input AS (
         SELECT * FROM jsonb_populate_recordset(NULL::spend_log, p_rows)),
       r AS (
         UPDATE reservations res SET state = 'settled', settled_at = i.ended_at
           FROM input i
           WHERE res.id = i.reservation_id AND res.state = 'held'
           RETURNING res.id, res.amount_nanos, i.cost_nanos),
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
  RETURN coalesce(array_length(v_ids, 1), 0);
END
$$;
