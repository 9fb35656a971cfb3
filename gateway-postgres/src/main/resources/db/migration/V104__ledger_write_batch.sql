-- One statement for everything the gateway writes after a request: settles (V101's job), and the
-- two writes of budget leases. A budget lease is an ordinary held reservation, taken by one gateway
-- instance for a slice of a counter set's headroom; the instance admits requests against it in
-- memory, then
--   * draws on it once per request: the request's spend row is written, its cost moves from
--     reserved into committed on the lease's counters, and the lease's amount shrinks by as much
--     (the lease stays held: if its instance dies, the sweeper charges what is left, as for any
--     reservation, so nothing admitted under it can go uncharged);
--   * releases it when its window is over and every draw is written: what is left is released,
--     nothing is charged, no spend row.
--
-- p_rows is a JSON array; each element is one of
--   settle:  a spend_log row, reservation_id = the reservation settled (exactly V101);
--   draw:    a spend_log row plus "draw_from": the lease; its reservation_id is the request's own
--            id, which the UNIQUE constraint makes the draw's idempotency key (a retried batch
--            cannot charge a request twice);
--   release: {"release": the lease}.
-- Draws come before releases, so a batch may carry a lease's last draws and its release.
-- A draw on a lease that is no longer held (expired: charged in full, which covered the request)
-- changes nothing. Counter updates of the whole batch are summed per counter and applied in lock
-- order (as in V2). Unless p_durable, the commit does not wait for the WAL flush (see V101: a
-- lost settle or draw leaves its reservation or lease held, to be charged in full on expiry; a
-- lost release likewise).
-- Returns how many of the elements took effect.
CREATE FUNCTION ledger_write_batch(p_rows jsonb, p_durable boolean)
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
      UPDATE reservations SET amount_nanos = v_old - v_take WHERE id = l.lease;
      v_ids := v_ids || l.lease;
      v_released := v_released || v_take;
      v_charged := v_charged || l.cost::bigint;
    END LOOP;
  END IF;

  -- Releases: what is left of each lease leaves reserved; nothing is charged.
  IF jsonb_path_exists(p_rows, '$[*] ? (exists(@.release))') THEN
    WITH r AS (
           UPDATE reservations res SET state = 'settled', settled_at = now()
             WHERE res.id IN (SELECT e->>'release' FROM jsonb_array_elements(p_rows) e
                                WHERE e ? 'release')
               AND res.state = 'held'
             RETURNING res.id, res.amount_nanos)
    SELECT coalesce(array_agg(r.id), '{}'), coalesce(array_agg(r.amount_nanos), '{}')
      INTO v_a, v_b FROM r;
    v_ids := v_ids || v_a;
    v_released := v_released || v_b;
    v_charged := v_charged || array_fill(0::bigint, ARRAY[cardinality(v_a)]);
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

-- Superseded: ledger_write_batch does everything it did.
DROP FUNCTION ledger_settle_batch(jsonb, boolean);
