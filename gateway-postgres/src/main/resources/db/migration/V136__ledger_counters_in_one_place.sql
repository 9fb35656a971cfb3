-- The counter move and the lease draws, each written once (house rule: one decision, one place).
--
-- Until now four functions each held their own copy of the counter move (per reservation, what
-- leaves reserved and what enters committed; the total per counter; the counter rows locked in
-- lock order, then written): ledger_settle (V128), ledger_write_batch (V133), ledger_draw (V134)
-- and the sweeper's ledger_release (V2, one UPDATE per line). And ledger_write_batch (V133) and
-- ledger_draw (V134) each wrote the lease draws (spend rows for draws on leases still held, each
-- lease shrinking by its draws' cost) in statements of their own. Now:
-- - ledger_move_counters(ids, released, charged) is the counter move: V133's and V134's UPDATE
--   (the same statement, over the function's parameters). All four call it once per call;
--   ledger_write_batch still moves a batch's counters (settles, draws and releases together) in
--   one UPDATE at the end, in lock order.
-- - ledger_draw_spend(the draws as columns) holds V134's two draw statements word for word and
--   hands back, per lease it shrank, what left it and what its written draws cost (OUT arrays),
--   and how many draws it wrote. ledger_draw passes its columns through; ledger_write_batch turns
--   its JSON draws into the same columns (jsonb_populate_record per draw, as V133 read them).
-- Same rows, same values, same lock order, same SET options per function (V130, V133, V134).
-- Two differences:
-- - ledger_release no longer writes a counter it moves by 0/0 (an expired lease drawn down to
--   zero): no value changes; the other three never wrote one (V128, V133).
-- - ledger_write_batch's draws now match written spend rows to draws as V134's ledger_draw does:
--   a charge id given twice in one batch, once on a lease not held and once on a held one, would
--   count for both leases (V133: for the held one only). Both read a charge id as naming one
--   draw; the gateway's charge ids are unique per request.
-- Shape: session 16 wrote the draws reworded in a helper returning a table (branch s16-counters)
-- and ledger_draw cost ~6-10 % more backend CPU; the same helper with V134's statements word for
-- word and arrays out, plus the counter move in a function of its own, measured no cost
-- (bench/draw-variants-ab.sh variant F). Measured as migrated: docs/PERFORMANCE.md "Seventeenth
-- session".

CREATE FUNCTION ledger_move_counters(p_ids text[], p_released bigint[], p_charged bigint[])
  RETURNS void LANGUAGE plpgsql
  -- one plan per connection, reused, by primary key whatever the statistics say (V116, V130)
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
BEGIN
  -- Per reservation p_ids[i] (an id may occur more than once): p_released[i] leaves reserved,
  -- p_charged[i] enters committed, on each counter it has a line on. The total per counter (one
  -- whose total moves nothing, 0/0, is not written: a settle at exactly its reservation's amount
  -- still moves reserved into committed), locked in lock order (V2; the ORDER BY is applied
  -- before FOR UPDATE locks the rows it returns), then written, in one statement.
  UPDATE budget_counters b
    SET reserved_nanos = b.reserved_nanos - l.released,
        committed_nanos = b.committed_nanos + l.charged
    FROM (SELECT t.scope_kind, t.scope_id, t.time_window, t.period, t.released, t.charged
            FROM (SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
                      sum(a.released)::bigint AS released, sum(a.charged)::bigint AS charged
                    FROM unnest(p_ids, p_released, p_charged) AS a(id, released, charged)
                      JOIN reservation_lines rl ON rl.reservation_id = a.id
                    WHERE rl.reservation_id = ANY(p_ids)
                    GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period
                    HAVING sum(a.released) <> 0 OR sum(a.charged) <> 0) t
              JOIN budget_counters x ON x.scope_kind = t.scope_kind AND x.scope_id = t.scope_id
                AND x.time_window = t.time_window AND x.period = t.period
            ORDER BY ledger_kind_rank(t.scope_kind), t.scope_id COLLATE "C",
              t.time_window COLLATE "C", t.period COLLATE "C"
            FOR UPDATE OF x) l
    WHERE b.scope_kind = l.scope_kind AND b.scope_id = l.scope_id
      AND b.time_window = l.time_window AND b.period = l.period;
END
$$;

-- Budget-lease draws without their counters (V134's statements): the spend rows of draws on
-- leases still held (the leases locked first, in id order, before any counter, as settle and
-- expire lock a reservation before its counters), each charge id at most once; each lease shrinks
-- by what its written draws cost, down to zero. Out: the leases shrunk, what left each (released)
-- and what its written draws cost (charged), and how many draws were written. The caller moves
-- the counters.
CREATE FUNCTION ledger_draw_spend(
    p_leases text[], p_ids text[], p_request_ids text[], p_key_ids text[],
    p_user_ids text[], p_team_ids text[], p_models text[], p_deployment_ids text[],
    p_input bigint[], p_output bigint[], p_cache_read bigint[], p_cache_write bigint[],
    p_usage_sources text[], p_costs bigint[], p_statuses text[], p_error_types text[],
    p_latencies bigint[], p_started timestamptz[], p_ended timestamptz[],
    OUT o_ids text[], OUT o_released bigint[], OUT o_charged bigint[], OUT o_draws int)
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
DECLARE
  v_a text[];
  v_c bigint[];
BEGIN
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
  o_draws := cardinality(v_a);
  IF o_draws = 0 THEN
    RETURN;
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
    INTO o_ids, o_released, o_charged FROM old;
END
$$;

CREATE OR REPLACE FUNCTION ledger_draw(
    p_durable boolean, p_leases text[], p_ids text[], p_request_ids text[], p_key_ids text[],
    p_user_ids text[], p_team_ids text[], p_models text[], p_deployment_ids text[],
    p_input bigint[], p_output bigint[], p_cache_read bigint[], p_cache_write bigint[],
    p_usage_sources text[], p_costs bigint[], p_statuses text[], p_error_types text[],
    p_latencies bigint[], p_started timestamptz[], p_ended timestamptz[])
  RETURNS int LANGUAGE plpgsql
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
  SELECT d.o_ids, d.o_released, d.o_charged, d.o_draws INTO v_a, v_b, v_c, v_done
    FROM ledger_draw_spend(p_leases, p_ids, p_request_ids, p_key_ids, p_user_ids, p_team_ids,
        p_models, p_deployment_ids, p_input, p_output, p_cache_read, p_cache_write,
        p_usage_sources, p_costs, p_statuses, p_error_types, p_latencies, p_started, p_ended) d;
  IF v_done = 0 THEN
    RETURN 0;
  END IF;
  -- Counters last (as V133).
  PERFORM ledger_move_counters(v_a, v_b, v_c);
  RETURN v_done;
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
  v_settle_ids text[];
  v_draws jsonb;
  v_releases jsonb;
  v_release_ids text[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  SELECT jsonb_agg(e) FILTER (WHERE NOT (e ? 'draw_from' OR e ? 'release')),
      array_agg(e->>'reservation_id') FILTER (WHERE NOT (e ? 'draw_from' OR e ? 'release')),
      jsonb_agg(e) FILTER (WHERE e ? 'draw_from'),
      jsonb_agg(e) FILTER (WHERE e ? 'release'),
      array_agg(e->>'release') FILTER (WHERE e ? 'release')
    INTO v_settles, v_settle_ids, v_draws, v_releases, v_release_ids
    FROM jsonb_array_elements(p_rows) e;

  -- Settles.
  IF v_settles IS NOT NULL THEN
    WITH input AS (
           SELECT * FROM jsonb_populate_recordset(NULL::spend_log, v_settles)),
         r AS (
           UPDATE reservations res SET state = 'settled', settled_at = i.ended_at
             FROM input i
             WHERE res.id = ANY(v_settle_ids) AND res.id = i.reservation_id
               AND res.state = 'held'
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
      INTO v_a, v_b, v_c FROM r;
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
  SELECT count(*), array_agg(r.id), array_agg(r.amount_nanos), array_agg(r.cost_nanos)
    INTO v_done, v_ids, v_released, v_charged
    FROM r;

  -- Counters last: each settled reservation releases its amount and is charged its cost.
  IF v_done > 0 THEN
    PERFORM ledger_move_counters(v_ids, v_released, v_charged);
  END IF;
  RETURN v_done;
END
$$;

-- The sweeper's expiry (PostgresBudgetLedger, LedgerSql.EXPIRE_ONE): one reservation,
-- reserved -= p_amount and committed += p_charge on each of its counters, in lock order.
CREATE OR REPLACE FUNCTION ledger_release(p_id text, p_amount bigint, p_charge bigint)
  RETURNS int LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
BEGIN
  PERFORM ledger_move_counters(ARRAY[p_id], ARRAY[p_amount], ARRAY[p_charge]);
  RETURN 1;
END
$$;
