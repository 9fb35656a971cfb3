-- ledger_write_batch (V104, V106) with every reservation looked up by primary key (issue 18).
-- Before, the settle's UPDATE joined reservations with jsonb_populate_recordset, which the planner
-- sizes at 100 rows whatever the batch holds; it answered with a bitmap scan of every held
-- reservation (the sweeper's partial index, whose dead entries a bitmap scan cannot skip until
-- vacuum) and a hash join: the statement's cost grew with the number of held reservations and with
-- the churn since the last vacuum, and it was three times a reserve's database CPU (profiled with
-- ReservePathProfile, docs/PERFORMANCE.md). Now one pass over p_rows sorts its elements by kind and
-- collects the ids each kind names, and every statement finds its reservations with
-- id = ANY(those ids) (an index scan on the primary key, one probe per id). A lease's draw
-- updates its reservation in one statement instead of a read and a write, and a counter the batch
-- moves by nothing is not written. Semantics are V106's, element for element: which rows are
-- written, what is charged and released, and the return value.
--
-- plan_cache_mode = force_generic_plan: PL/pgSQL's plan cache otherwise kept choosing custom plans
-- for these statements, so every call re-planned them (the spend row's insert with its indexes and
-- checks, the joins), which cost more database CPU than running them; the generic plans are primary
-- key probes throughout (checked with auto_explain). The clause restores only plan_cache_mode at
-- exit: the transaction-local synchronous_commit below still holds at commit (checked).
CREATE OR REPLACE FUNCTION ledger_write_batch(p_rows jsonb, p_durable boolean)
  RETURNS int LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  l record;
  v_done int := 0;
  -- per reservation: what leaves reserved, and what enters committed
  v_ids text[] := '{}';
  v_released bigint[] := '{}';
  v_charged bigint[] := '{}';
  v_a text[];
  v_b bigint[];
  v_c bigint[];
  -- the elements of p_rows by kind, and the reservation ids each kind names
  v_settles jsonb;
  v_settle_ids text[];
  v_draws jsonb;
  v_lease_ids text[];
  v_releases jsonb;
  v_release_ids text[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  SELECT jsonb_agg(e) FILTER (WHERE NOT (e ? 'draw_from' OR e ? 'release')),
      array_agg(e->>'reservation_id') FILTER (WHERE NOT (e ? 'draw_from' OR e ? 'release')),
      jsonb_agg(e) FILTER (WHERE e ? 'draw_from'),
      array_agg(DISTINCT e->>'draw_from') FILTER (WHERE e ? 'draw_from'),
      jsonb_agg(e) FILTER (WHERE e ? 'release'),
      array_agg(e->>'release') FILTER (WHERE e ? 'release')
    INTO v_settles, v_settle_ids, v_draws, v_lease_ids, v_releases, v_release_ids
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

  -- Draws: the spend rows of requests on leases still held (locked here, before any counter, as
  -- settle and expire lock a reservation before its counters), each request at most once.
  IF v_draws IS NOT NULL THEN
    WITH d AS (
           SELECT e->>'draw_from' AS lease, e FROM jsonb_array_elements(v_draws) e),
         held AS (
           SELECT res.id FROM reservations res
             WHERE res.id = ANY(v_lease_ids) AND res.state = 'held'
             ORDER BY res.id FOR UPDATE),
         input AS (
           SELECT d.lease, i.* FROM d JOIN held ON held.id = d.lease,
               jsonb_populate_record(NULL::spend_log, d.e) i),
         s AS (
           INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,
               deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
               usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
             SELECT i.reservation_id, i.request_id, i.key_id, i.user_id, i.team_id, i.model,
                 i.deployment_id, i.input_tokens, i.output_tokens, i.cache_read_tokens,
                 i.cache_write_tokens, i.usage_source, i.cost_nanos, i.status, i.error_type,
                 i.latency_ms, i.started_at, i.ended_at
               FROM input i
             ON CONFLICT (reservation_id) DO NOTHING
             RETURNING reservation_id, cost_nanos)
    SELECT coalesce(array_agg(input.lease), '{}'), coalesce(array_agg(s.cost_nanos), '{}')
      INTO v_a, v_c FROM s JOIN input ON input.reservation_id = s.reservation_id;
    v_done := v_done + cardinality(v_a);

    -- Each lease shrinks by what its written draws cost, down to zero. Its row is locked above,
    -- so the amount read here is the one the update replaces.
    WITH cost AS (
           SELECT a.lease, sum(a.cost)::bigint AS cost FROM unnest(v_a, v_c) AS a(lease, cost)
             GROUP BY a.lease),
         old AS (
           SELECT res.id, res.amount_nanos AS amount, cost.cost FROM reservations res
             JOIN cost ON cost.lease = res.id
             WHERE res.id = ANY(v_lease_ids)),
         u AS (
           UPDATE reservations res
             SET amount_nanos = old.amount - least(old.amount, old.cost),
                 drawn_nanos = res.drawn_nanos + old.cost
             FROM old WHERE res.id = ANY(v_lease_ids) AND res.id = old.id)
    SELECT coalesce(array_agg(old.id), '{}'), coalesce(array_agg(least(old.amount, old.cost)), '{}'),
        coalesce(array_agg(old.cost), '{}')
      INTO v_a, v_b, v_c FROM old;
    v_ids := v_ids || v_a;
    v_released := v_released || v_b;
    v_charged := v_charged || v_c;
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

  -- Counters, in lock order (V2); one whose batch total moves nothing (a settle at exactly its
  -- reservation's amount still moves reserved into committed, so only 0/0 is skipped) is not
  -- written.
  FOR l IN
    SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
        sum(a.released) AS released, sum(a.charged) AS charged
      FROM unnest(v_ids, v_released, v_charged) AS a(id, released, charged)
        JOIN reservation_lines rl ON rl.reservation_id = a.id
      WHERE rl.reservation_id = ANY(v_ids)
      GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period
      ORDER BY ledger_kind_rank(rl.scope_kind), rl.scope_id COLLATE "C",
        rl.time_window COLLATE "C", rl.period COLLATE "C"
  LOOP
    CONTINUE WHEN l.released = 0 AND l.charged = 0;
    UPDATE budget_counters
      SET reserved_nanos = reserved_nanos - l.released,
          committed_nanos = committed_nanos + l.charged
      WHERE scope_kind = l.scope_kind AND scope_id = l.scope_id AND time_window = l.time_window
        AND period = l.period;
  END LOOP;
  RETURN v_done;
END
$$;
