-- ledger_settle: the settles of a batch with no lease draws or releases (every settlement with
-- budget leases off, issue 18), as columns instead of JSON. Same semantics as ledger_write_batch's
-- settles (V104, V106, V116), which still takes mixed batches: each reservation is marked settled
-- only if still held, its spend row is inserted (same columns, same values), and its counters move
-- reserved -= amount, committed += cost, summed per counter and written once each, in lock order
-- (V2). Returns how many reservations it settled.
--
-- What it saves against ledger_write_batch for the same batch (pg_stat_statements,
-- docs/PERFORMANCE.md "Tenth session"): the JSON pass that sorted the batch by kind, the
-- jsonb_populate_recordset decoding, and the separate aggregation over reservation_lines: the
-- settle, the spend rows and the per-counter sums are one statement, whose counter sums come from
-- the rows this statement settled (index probes on reservation_lines' primary key). The counter
-- rows, the only rows other requests wait for, are touched last, one UPDATE each, so they stay
-- locked only from the first of them to the commit.
CREATE FUNCTION ledger_settle(
    p_durable boolean, p_ids text[], p_request_ids text[], p_key_ids text[], p_user_ids text[],
    p_team_ids text[], p_models text[], p_deployment_ids text[], p_input bigint[],
    p_output bigint[], p_cache_read bigint[], p_cache_write bigint[], p_usage_sources text[],
    p_costs bigint[], p_statuses text[], p_error_types text[], p_latencies bigint[],
    p_started timestamptz[], p_ended timestamptz[])
  RETURNS int LANGUAGE plpgsql
  -- one plan per connection, reused: custom plans re-planned the insert on every call (V116)
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_done int;
  v_kinds text[];
  v_scopes text[];
  v_windows text[];
  v_periods text[];
  v_released bigint[];
  v_charged bigint[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  WITH input AS (
         SELECT * FROM unnest(p_ids, p_request_ids, p_key_ids, p_user_ids, p_team_ids, p_models,
             p_deployment_ids, p_input, p_output, p_cache_read, p_cache_write, p_usage_sources,
             p_costs, p_statuses, p_error_types, p_latencies, p_started, p_ended)
           AS i(reservation_id, request_id, key_id, user_id, team_id, model, deployment_id,
             input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_source,
             cost_nanos, status, error_type, latency_ms, started_at, ended_at)),
       r AS (
         UPDATE reservations res SET state = 'settled', settled_at = i.ended_at
           FROM input i
           WHERE res.id = ANY(p_ids) AND res.id = i.reservation_id AND res.state = 'held'
           RETURNING res.id, res.amount_nanos, i.cost_nanos),
       s AS (
         INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,
             deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
             usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
           SELECT i.reservation_id, i.request_id, i.key_id, i.user_id, i.team_id, i.model,
               i.deployment_id, i.input_tokens, i.output_tokens, i.cache_read_tokens,
               i.cache_write_tokens, i.usage_source, i.cost_nanos, i.status, i.error_type,
               i.latency_ms, i.started_at, i.ended_at
             FROM input i JOIN r ON r.id = i.reservation_id),
       c AS (
         SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
             sum(r.amount_nanos)::bigint AS released, sum(r.cost_nanos)::bigint AS charged
           FROM r JOIN reservation_lines rl ON rl.reservation_id = r.id
           GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period)
  SELECT (SELECT count(*) FROM r),
      array_agg(c.scope_kind ORDER BY ledger_kind_rank(c.scope_kind), c.scope_id COLLATE "C",
        c.time_window COLLATE "C", c.period COLLATE "C"),
      array_agg(c.scope_id ORDER BY ledger_kind_rank(c.scope_kind), c.scope_id COLLATE "C",
        c.time_window COLLATE "C", c.period COLLATE "C"),
      array_agg(c.time_window ORDER BY ledger_kind_rank(c.scope_kind), c.scope_id COLLATE "C",
        c.time_window COLLATE "C", c.period COLLATE "C"),
      array_agg(c.period ORDER BY ledger_kind_rank(c.scope_kind), c.scope_id COLLATE "C",
        c.time_window COLLATE "C", c.period COLLATE "C"),
      array_agg(c.released ORDER BY ledger_kind_rank(c.scope_kind), c.scope_id COLLATE "C",
        c.time_window COLLATE "C", c.period COLLATE "C"),
      array_agg(c.charged ORDER BY ledger_kind_rank(c.scope_kind), c.scope_id COLLATE "C",
        c.time_window COLLATE "C", c.period COLLATE "C")
    INTO v_done, v_kinds, v_scopes, v_windows, v_periods, v_released, v_charged
    FROM c;

  -- Counters, in lock order; one the batch moves by nothing (0/0) is not written.
  FOR k IN 1 .. coalesce(cardinality(v_kinds), 0) LOOP
    CONTINUE WHEN v_released[k] = 0 AND v_charged[k] = 0;
    UPDATE budget_counters
      SET reserved_nanos = reserved_nanos - v_released[k],
          committed_nanos = committed_nanos + v_charged[k]
      WHERE scope_kind = v_kinds[k] AND scope_id = v_scopes[k] AND time_window = v_windows[k]
        AND period = v_periods[k];
  END LOOP;
  RETURN v_done;
END
$$;
