-- Nothing is released on faith (issue 14). Draws on budget leases are committed without waiting
-- for the WAL flush (V104), so a PostgreSQL crash can lose draws the instance already saw
-- acknowledged; before this migration the lease's release then freed what those draws had cost:
-- spend lost. Now each lease records the draws it has seen (drawn_nanos), a release carries the
-- total its instance drew ({"release": lease, "drawn": nanos}), and the difference is charged
-- (committed += it on the lease's counters; what was left is released) with a spend row: status
-- EXPIRED, error type draws_lost, model budget-lease, request id the lease, ended at the lease's
-- start. A release without "drawn" (an instance of the previous version) charges nothing, as before.
ALTER TABLE reservations ADD COLUMN drawn_nanos bigint NOT NULL DEFAULT 0
  CHECK (drawn_nanos >= 0);

CREATE OR REPLACE FUNCTION ledger_write_batch(p_rows jsonb, p_durable boolean)
  RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  l record;
  v_old bigint;
  v_take bigint;
  v_done int := 0;
  -- per reservation: what leaves reserved, and what enters committed
  v_ids text[] := '{}';
  v_released bigint[] := '{}';
  v_charged bigint[] := '{}';
  v_a text[];
  v_b bigint[];
  v_c bigint[];
BEGIN
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- Settles.
  WITH input AS (
         SELECT * FROM jsonb_populate_recordset(NULL::spend_log,
             (SELECT coalesce(jsonb_agg(e), '[]') FROM jsonb_array_elements(p_rows) e
               WHERE NOT (e ? 'draw_from' OR e ? 'release')))),
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
  SELECT coalesce(array_agg(r.id), '{}'), coalesce(array_agg(r.amount_nanos), '{}'),
      coalesce(array_agg(r.cost_nanos), '{}')
    INTO v_a, v_b, v_c FROM r;
  v_ids := v_ids || v_a;
  v_released := v_released || v_b;
  v_charged := v_charged || v_c;
  v_done := v_done + cardinality(v_a);

  -- Draws: the spend rows of requests on leases still held (locked here, before any counter, as
  -- settle and expire lock a reservation before its counters), each request at most once.
  IF jsonb_path_exists(p_rows, '$[*] ? (exists(@.draw_from))') THEN
    WITH d AS (
           SELECT e->>'draw_from' AS lease, e FROM jsonb_array_elements(p_rows) e
             WHERE e ? 'draw_from'),
         held AS (
           SELECT res.id FROM reservations res
             WHERE res.id IN (SELECT lease FROM d) AND res.state = 'held'
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

    FOR l IN
      SELECT a.lease, sum(a.cost) AS cost FROM unnest(v_a, v_c) AS a(lease, cost)
        GROUP BY a.lease ORDER BY a.lease
    LOOP
      SELECT amount_nanos INTO v_old FROM reservations WHERE id = l.lease;
      v_take := least(v_old, l.cost);
      UPDATE reservations SET amount_nanos = v_old - v_take, drawn_nanos = drawn_nanos + l.cost
        WHERE id = l.lease;
      v_ids := v_ids || l.lease;
      v_released := v_released || v_take;
      v_charged := v_charged || l.cost::bigint;
    END LOOP;
  END IF;

  -- Releases: the draws the holder made that this database never saw (p_rows' "drawn" minus
  -- drawn_nanos: lost to a crash after an asynchronous commit) are charged, with a spend row;
  -- the rest of what is left is released.
  IF jsonb_path_exists(p_rows, '$[*] ? (exists(@.release))') THEN
    WITH rel AS (
           SELECT e->>'release' AS id, coalesce((e->>'drawn')::bigint, 0) AS drawn
             FROM jsonb_array_elements(p_rows) e WHERE e ? 'release'),
         r AS (
           UPDATE reservations res SET state = 'settled', settled_at = now()
             FROM rel
             WHERE res.id = rel.id AND res.state = 'held'
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

  FOR l IN
    SELECT rl.scope_kind, rl.scope_id, rl.time_window, rl.period,
        sum(a.released) AS released, sum(a.charged) AS charged
      FROM unnest(v_ids, v_released, v_charged) AS a(id, released, charged)
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
  RETURN v_done;
END
$$;


-- A reserve whose commit outcome is unknown (the connection broke after the statement was sent):
-- the gateway answered 503, so the reservation, if it exists, must end without charge. For each
-- {"id", "now", "expires", "pending"} of p_rows: a held reservation is settled at zero (spend row
-- ERROR, reserve_outcome_unknown, written by ledger_write_batch's settle); one that does not exist
-- is recorded as already settled (amount 0), so that a reserve still on its way commits nothing
-- (its INSERT conflicts and the whole statement rolls back). Durable. Returns how many held
-- reservations it ended.
CREATE FUNCTION ledger_abandon(p_rows jsonb)
  RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, settled_at, pending)
    SELECT e->>'id', 0, 'settled', CAST(e->>'now' AS timestamptz),
        CAST(e->>'expires' AS timestamptz), CAST(e->>'now' AS timestamptz), e->'pending'
      FROM jsonb_array_elements(p_rows) e
    ON CONFLICT (id) DO NOTHING;
  RETURN ledger_write_batch(
      (SELECT coalesce(jsonb_agg(e->'settle'), '[]') FROM jsonb_array_elements(p_rows) e), true);
END
$$;
