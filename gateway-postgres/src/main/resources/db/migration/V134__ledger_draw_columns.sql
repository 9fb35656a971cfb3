-- ledger_draw: a batch made only of budget-lease draws (every batch the lease path writes between
-- a lease's refills and releases), as columns instead of JSON, as ledger_settle (V124) does for
-- the settles of budget leases off. Same semantics as ledger_write_batch's draws (V104, V106,
-- V116, V123, V133), element for element: the draws of leases still held (locked first, before any
-- counter, in id order) get their spend rows, each charge id at most once; each lease shrinks by
-- what its written draws cost, down to zero; each counter moves reserved -= what left the lease,
-- committed += the cost, in one UPDATE in lock order (V2, V133). Returns how many draws it wrote.
--
-- What it saves against ledger_write_batch for the same batch (pg_stat_statements at 32
-- connections, 200 drafting users on leases, docs/PERFORMANCE.md "Fifteenth session"): the pass
-- that sorted the batch's JSON by kind (46-52 us a request) and each draw's
-- jsonb_populate_record. Mixed batches (a draw beside a settle or a lease's release) still go to
-- ledger_write_batch: one statement must take all of a batch's counters in lock order.
CREATE FUNCTION ledger_draw(
    p_durable boolean, p_leases text[], p_ids text[], p_request_ids text[], p_key_ids text[],
    p_user_ids text[], p_team_ids text[], p_models text[], p_deployment_ids text[],
    p_input bigint[], p_output bigint[], p_cache_read bigint[], p_cache_write bigint[],
    p_usage_sources text[], p_costs bigint[], p_statuses text[], p_error_types text[],
    p_latencies bigint[], p_started timestamptz[], p_ended timestamptz[])
  RETURNS int LANGUAGE plpgsql
  -- one plan per connection, reused, by primary key whatever the statistics say (V116, V130)
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
DECLARE
  v_done int;
  v_a text[];
  v_b bigint[];
  v_c bigint[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- The spend rows of draws on leases still held (locked here, before any counter, as settle and
  -- expire lock a reservation before its counters), each charge at most once.
  WITH input AS (
         SELECT * FROM unnest(p_leases, p_ids, p_request_ids, p_key_ids, p_user_ids, p_team_ids,
             p_models, p_deployment_ids, p_input, p_output, p_cache_read, p_cache_write,
             p_usage_sources, p_costs, p_statuses, p_error_types, p_latencies, p_started, p_ended)
           AS i(lease, reservation_id, request_id, key_id, user_id, team_id, model, deployment_id,
             input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_source,
             cost_nanos, status, error_type, latency_ms, started_at, ended_at)),
       held AS (
         SELECT res.id FROM reservations res
           WHERE res.id = ANY(p_leases) AND res.state = 'held'
           ORDER BY res.id FOR UPDATE),
       s AS (
         INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,
             deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
             usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
           SELECT i.reservation_id, i.request_id, i.key_id, i.user_id, i.team_id, i.model,
               i.deployment_id, i.input_tokens, i.output_tokens, i.cache_read_tokens,
               i.cache_write_tokens, i.usage_source, i.cost_nanos, i.status, i.error_type,
               i.latency_ms, i.started_at, i.ended_at
             FROM input i JOIN held ON held.id = i.lease
           ON CONFLICT (ended_at, reservation_id) DO NOTHING
           RETURNING reservation_id, cost_nanos)
  SELECT coalesce(array_agg(input.lease), '{}'), coalesce(array_agg(s.cost_nanos), '{}')
    INTO v_a, v_c FROM s JOIN input ON input.reservation_id = s.reservation_id;
  v_done := cardinality(v_a);
  IF v_done = 0 THEN
    RETURN 0;
  END IF;

  -- Each lease shrinks by what its written draws cost, down to zero. Its row is locked above, so
  -- the amount read here is the one the update replaces.
  WITH cost AS (
         SELECT a.lease, sum(a.cost)::bigint AS cost FROM unnest(v_a, v_c) AS a(lease, cost)
           GROUP BY a.lease),
       old AS (
         SELECT res.id, res.amount_nanos AS amount, cost.cost FROM reservations res
           JOIN cost ON cost.lease = res.id
           WHERE res.id = ANY(v_a)),
       u AS (
         UPDATE reservations res
           SET amount_nanos = old.amount - least(old.amount, old.cost),
               drawn_nanos = res.drawn_nanos + old.cost
           FROM old WHERE res.id = old.id)
  SELECT coalesce(array_agg(old.id), '{}'), coalesce(array_agg(least(old.amount, old.cost)), '{}'),
      coalesce(array_agg(old.cost), '{}')
    INTO v_a, v_b, v_c FROM old;

  -- Counters last, in one statement, locked in lock order, then written (as V133).
  UPDATE budget_counters b
    SET reserved_nanos = b.reserved_nanos - l.released,
        committed_nanos = b.committed_nanos + l.charged
    FROM (SELECT t.scope_kind, t.scope_id, t.time_window, t.period, t.released, t.charged
            FROM (SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
                      sum(a.released)::bigint AS released, sum(a.charged)::bigint AS charged
                    FROM unnest(v_a, v_b, v_c) AS a(id, released, charged)
                      JOIN reservation_lines rl ON rl.reservation_id = a.id
                    WHERE rl.reservation_id = ANY(v_a)
                    GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period
                    HAVING sum(a.released) <> 0 OR sum(a.charged) <> 0) t
              JOIN budget_counters x ON x.scope_kind = t.scope_kind AND x.scope_id = t.scope_id
                AND x.time_window = t.time_window AND x.period = t.period
            ORDER BY ledger_kind_rank(t.scope_kind), t.scope_id COLLATE "C",
              t.time_window COLLATE "C", t.period COLLATE "C"
            FOR UPDATE OF x) l
    WHERE b.scope_kind = l.scope_kind AND b.scope_id = l.scope_id
      AND b.time_window = l.time_window AND b.period = l.period;
  RETURN v_done;
END
$$;
