-- ledger_write_batch (V116 as V123 left it: its draws insert names the partitioned spend log's
-- unique key; with V130's settings) writes a batch's counters in one UPDATE instead
-- of one UPDATE per counter, as ledger_settle does since V128 (issue 18).
--
-- Why: the lease path's writer hands this function every draw, settle and release that queued up;
-- with many small budgets (the seed's drafting users, each on a lease of their own) a batch moves
-- a few counters per lease, and each was its own statement: pg_stat_statements at 32 connections,
-- 200 drafting users on leases, counted 1.27 counter UPDATEs a request at 63-74 us each, more
-- than the spend rows' insert. Same rows written, same values, same lock order: the totals per
-- counter are the loop's, the rows are locked in the loop's order before any is written, and a
-- counter the batch moves by nothing is still not written.
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
             ON CONFLICT (ended_at, reservation_id) DO NOTHING
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
             FROM old WHERE res.id = old.id)
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

  -- Counters last, in one statement: the batch's total per counter (one whose total moves nothing,
  -- 0/0, is not written: a settle at exactly its reservation's amount still moves reserved into
  -- committed), locked in lock order (V2; the ORDER BY is applied before FOR UPDATE locks the rows
  -- it returns, as in ledger_settle, V128), then written.
  IF cardinality(v_ids) > 0 THEN
    UPDATE budget_counters b
      SET reserved_nanos = b.reserved_nanos - l.released,
          committed_nanos = b.committed_nanos + l.charged
      FROM (SELECT t.scope_kind, t.scope_id, t.time_window, t.period, t.released, t.charged
              FROM (SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
                        sum(a.released)::bigint AS released, sum(a.charged)::bigint AS charged
                      FROM unnest(v_ids, v_released, v_charged) AS a(id, released, charged)
                        JOIN reservation_lines rl ON rl.reservation_id = a.id
                      WHERE rl.reservation_id = ANY(v_ids)
                      GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period
                      HAVING sum(a.released) <> 0 OR sum(a.charged) <> 0) t
                JOIN budget_counters x ON x.scope_kind = t.scope_kind AND x.scope_id = t.scope_id
                  AND x.time_window = t.time_window AND x.period = t.period
              ORDER BY ledger_kind_rank(t.scope_kind), t.scope_id COLLATE "C",
                t.time_window COLLATE "C", t.period COLLATE "C"
              FOR UPDATE OF x) l
      WHERE b.scope_kind = l.scope_kind AND b.scope_id = l.scope_id
        AND b.time_window = l.time_window AND b.period = l.period;
  END IF;
  RETURN v_done;
END
$$;
