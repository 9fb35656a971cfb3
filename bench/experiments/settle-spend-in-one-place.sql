-- NOT A MIGRATION. An experiment, measured and not merged (docs/PERFORMANCE.md, "Eighteenth
-- session: the settle written once, tried and not merged"): written as migration V138, it made
-- ledger_write_batch's settles (the lease path's writer) about a third dearer inside the function.
-- Kept here for bench/settle-spend-ab.sh, which installs these functions renamed v138_* beside a
-- database's own. The next migration number is still V138.
--
-- The settle statements written once (house rule: one decision, one place), as V136 did for the
-- counter move (ledger_move_counters) and the lease draws (ledger_draw_spend).
--
-- Until now two functions each held their own copy of the settle (the held reservations marked
-- settled at their spend row's ended_at, their spend rows written, and per settled reservation
-- its amount and its cost handed to the counter move): ledger_settle (V128's statement over its
-- columns, unnest) and ledger_write_batch's "Settles" block (V116/V133's, over the batch's JSON,
-- jsonb_populate_recordset). Now:
-- - ledger_settle_spend(the settles as columns, as ledger_settle takes them) holds ledger_settle's
--   WITH input/r/s statement word for word and hands back, per reservation it settled, its id,
--   its amount (released) and its cost (charged) as OUT arrays, in ledger_draw_spend's shape
--   (V136). Same SET options as ledger_settle (V130).
-- - ledger_settle passes its columns through and calls ledger_move_counters as before.
-- - ledger_write_batch turns its JSON settles into the same columns (jsonb_populate_record per
--   settle, as its draws block has done since V136) and calls ledger_settle_spend; its draws,
--   releases, counters and return value are V136's.
-- Same rows, same values, same lock order, same SET options per function (V130, V133, V136).
-- Difference: none in what is written, returned or refused. ledger_write_batch still reads each
-- settle with jsonb_populate_record(NULL::spend_log, ...), so spend_log's domains (V131) check its
-- fields there, with the same SQLSTATE, before any row is touched, as V133's recordset did; the
-- values then travel as text/bigint/timestamptz arrays and the INSERT checks them again, as
-- ledger_settle's always have. Held to the old functions by LedgerSettleV138Test (random batches
-- through V137's ledger_settle and ledger_write_batch, installed beside these, on twin data).
-- Cost, measured at function level against V137 (docs/PERFORMANCE.md "Eighteenth session: the
-- settle written once (V138)"): not free. ledger_write_batch's settles x1.33 (+31 us a settle
-- inside the function: V128's statement over unnest of 18 arrays is dearer there than V133's over
-- jsonb_populate_recordset, plus the JSON-to-columns step); ledger_settle x1.03 (one more call).

-- Settles without their counters (ledger_settle's statement since V128): each reservation still
-- held (an id not held, or settled before, is left alone and writes no spend row) is marked
-- settled at its spend row's ended_at and its spend row written. Out: the reservations settled,
-- what leaves each (its amount, released) and what it is charged (its cost). The caller moves the
-- counters.
CREATE FUNCTION ledger_settle_spend(
    p_ids text[], p_request_ids text[], p_key_ids text[], p_user_ids text[],
    p_team_ids text[], p_models text[], p_deployment_ids text[], p_input bigint[],
    p_output bigint[], p_cache_read bigint[], p_cache_write bigint[], p_usage_sources text[],
    p_costs bigint[], p_statuses text[], p_error_types text[], p_latencies bigint[],
    p_started timestamptz[], p_ended timestamptz[],
    OUT o_ids text[], OUT o_released bigint[], OUT o_charged bigint[])
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
BEGIN
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
             FROM input i JOIN r ON r.id = i.reservation_id)
  SELECT coalesce(array_agg(r.id), '{}'), coalesce(array_agg(r.amount_nanos), '{}'),
      coalesce(array_agg(r.cost_nanos), '{}')
    INTO o_ids, o_released, o_charged FROM r;
END
$$;

CREATE OR REPLACE FUNCTION ledger_write_batch(p_rows jsonb, p_durable boolean)
  RETURNS int LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
DECLARE
  v_done int := 0;
  -- per reservation: what leaves reserved, and what enters committed
  v_ids text[] := '{}';
  v_released bigint[] := '{}';
  v_charged bigint[] := '{}';
  v_a text[];
  v_b bigint[];
  v_c bigint[];
  v_n int;
  -- the elements of p_rows by kind, and the reservation ids each kind names
  v_settles jsonb;
  v_draws jsonb;
  v_releases jsonb;
  v_release_ids text[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  SELECT jsonb_agg(e) FILTER (WHERE NOT (e ? 'draw_from' OR e ? 'release')),
      jsonb_agg(e) FILTER (WHERE e ? 'draw_from'),
      jsonb_agg(e) FILTER (WHERE e ? 'release'),
      array_agg(e->>'release') FILTER (WHERE e ? 'release')
    INTO v_settles, v_draws, v_releases, v_release_ids
    FROM jsonb_array_elements(p_rows) e;

  -- Settles: each element a spend row (read as the draws below read theirs), as columns, written
  -- by ledger_settle_spend (the reservations locked there, before any counter).
  IF v_settles IS NOT NULL THEN
    SELECT s.o_ids, s.o_released, s.o_charged INTO v_a, v_b, v_c
      FROM (SELECT array_agg(i.reservation_id) AS ids, array_agg(i.request_id) AS request_ids,
                array_agg(i.key_id) AS key_ids, array_agg(i.user_id) AS user_ids,
                array_agg(i.team_id) AS team_ids, array_agg(i.model) AS models,
                array_agg(i.deployment_id) AS deployment_ids, array_agg(i.input_tokens) AS input,
                array_agg(i.output_tokens) AS output,
                array_agg(i.cache_read_tokens) AS cache_read,
                array_agg(i.cache_write_tokens) AS cache_write,
                array_agg(i.usage_source) AS usage_sources, array_agg(i.cost_nanos) AS costs,
                array_agg(i.status) AS statuses, array_agg(i.error_type) AS error_types,
                array_agg(i.latency_ms) AS latencies, array_agg(i.started_at) AS started,
                array_agg(i.ended_at) AS ended
              FROM jsonb_array_elements(v_settles) e,
                jsonb_populate_record(NULL::spend_log, e) i) c,
        ledger_settle_spend(c.ids, c.request_ids, c.key_ids, c.user_ids, c.team_ids, c.models,
            c.deployment_ids, c.input, c.output, c.cache_read, c.cache_write, c.usage_sources,
            c.costs, c.statuses, c.error_types, c.latencies, c.started, c.ended) s;
    v_ids := v_ids || v_a;
    v_released := v_released || v_b;
    v_charged := v_charged || v_c;
    v_done := v_done + cardinality(v_a);
  END IF;

  -- Draws: each element a spend row (read as V133 read them) plus the lease it draws on, as
  -- columns, written by ledger_draw_spend (the leases locked there, before any counter).
  IF v_draws IS NOT NULL THEN
    SELECT d.o_ids, d.o_released, d.o_charged, d.o_draws INTO v_a, v_b, v_c, v_n
      FROM (SELECT array_agg(e->>'draw_from') AS leases, array_agg(i.reservation_id) AS ids,
                array_agg(i.request_id) AS request_ids, array_agg(i.key_id) AS key_ids,
                array_agg(i.user_id) AS user_ids, array_agg(i.team_id) AS team_ids,
                array_agg(i.model) AS models, array_agg(i.deployment_id) AS deployment_ids,
                array_agg(i.input_tokens) AS input, array_agg(i.output_tokens) AS output,
                array_agg(i.cache_read_tokens) AS cache_read,
                array_agg(i.cache_write_tokens) AS cache_write,
                array_agg(i.usage_source) AS usage_sources, array_agg(i.cost_nanos) AS costs,
                array_agg(i.status) AS statuses, array_agg(i.error_type) AS error_types,
                array_agg(i.latency_ms) AS latencies, array_agg(i.started_at) AS started,
                array_agg(i.ended_at) AS ended
              FROM jsonb_array_elements(v_draws) e,
                jsonb_populate_record(NULL::spend_log, e) i) c,
        ledger_draw_spend(c.leases, c.ids, c.request_ids, c.key_ids, c.user_ids, c.team_ids,
            c.models, c.deployment_ids, c.input, c.output, c.cache_read, c.cache_write,
            c.usage_sources, c.costs, c.statuses, c.error_types, c.latencies, c.started,
            c.ended) d;
    IF v_n > 0 THEN
      v_ids := v_ids || v_a;
      v_released := v_released || v_b;
      v_charged := v_charged || v_c;
      v_done := v_done + v_n;
    END IF;
  END IF;

  -- Releases: the draws the holder made that this database never saw (p_rows' "drawn" minus
  -- drawn_nanos: lost to a crash after an asynchronous commit) are charged, with a spend row;
  -- the rest of what is left is released.
  IF v_releases IS NOT NULL THEN
    WITH rel AS (
           SELECT e->>'release' AS id, coalesce((e->>'drawn')::bigint, 0) AS drawn
             FROM jsonb_array_elements(v_releases) e),
         r AS (
           UPDATE reservations res SET state = 'settled', settled_at = now()
             FROM rel
             WHERE res.id = ANY(v_release_ids) AND res.id = rel.id AND res.state = 'held'
             RETURNING res.id, res.amount_nanos, greatest(0, rel.drawn - res.drawn_nanos) AS lost,
               res.pending, res.created_at),
         s AS (
           INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,
               deployment_id, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
             SELECT r.id, r.pending->>'requestId', r.pending->>'keyId', r.pending->>'userId',
                 r.pending->>'teamId', r.pending->>'model', r.pending->>'deploymentId', r.lost,
                 'EXPIRED', 'draws_lost',
                 greatest(0, floor(extract(epoch FROM (r.created_at
                     - CAST(r.pending->>'startedAt' AS timestamptz))) * 1000))::bigint,
                 CAST(r.pending->>'startedAt' AS timestamptz), r.created_at
               FROM r WHERE r.lost > 0)
    SELECT coalesce(array_agg(r.id), '{}'), coalesce(array_agg(r.amount_nanos), '{}'),
        coalesce(array_agg(r.lost), '{}')
      INTO v_a, v_b, v_c FROM r;
    v_ids := v_ids || v_a;
    v_released := v_released || v_b;
    v_charged := v_charged || v_c;
    v_done := v_done + cardinality(v_a);
  END IF;

  -- Counters last, once for the whole batch: one UPDATE, in lock order.
  IF cardinality(v_ids) > 0 THEN
    PERFORM ledger_move_counters(v_ids, v_released, v_charged);
  END IF;
  RETURN v_done;
END
$$;

CREATE OR REPLACE FUNCTION ledger_settle(
    p_durable boolean, p_ids text[], p_request_ids text[], p_key_ids text[], p_user_ids text[],
    p_team_ids text[], p_models text[], p_deployment_ids text[], p_input bigint[],
    p_output bigint[], p_cache_read bigint[], p_cache_write bigint[], p_usage_sources text[],
    p_costs bigint[], p_statuses text[], p_error_types text[], p_latencies bigint[],
    p_started timestamptz[], p_ended timestamptz[])
  RETURNS int LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
DECLARE
  v_done int;
  v_ids text[];
  v_released bigint[];
  v_charged bigint[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  SELECT s.o_ids, s.o_released, s.o_charged INTO v_ids, v_released, v_charged
    FROM ledger_settle_spend(p_ids, p_request_ids, p_key_ids, p_user_ids, p_team_ids, p_models,
        p_deployment_ids, p_input, p_output, p_cache_read, p_cache_write, p_usage_sources,
        p_costs, p_statuses, p_error_types, p_latencies, p_started, p_ended) s;
  v_done := cardinality(v_ids);

  -- Counters last: each settled reservation releases its amount and is charged its cost.
  IF v_done > 0 THEN
    PERFORM ledger_move_counters(v_ids, v_released, v_charged);
  END IF;
  RETURN v_done;
END
$$;
