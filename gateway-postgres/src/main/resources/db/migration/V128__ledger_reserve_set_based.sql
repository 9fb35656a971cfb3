-- The per-request reservation path (budget leases off, issue 18) with fewer statements and row
-- locks per request; same decisions, same rows (docs/PERFORMANCE.md "Twelfth session").
--
-- 1. reservation_lines loses its foreign key to reservations. The check ran, for every line a
--    reserve inserted, a query taking FOR KEY SHARE on the reservation row the same function had
--    just inserted: two queries and two row locks (each a WAL record, and an xmax every later
--    update of that row must resolve) per request, for an invariant the ledger's functions hold by
--    construction: lines are inserted only by the function that inserts their reservation, in the
--    same transaction (V2, V103, and this file). The purge, the only DELETE of reservations, now
--    deletes their lines in the same statement (PostgresBudgetLedger.PURGE_ENDED) instead of by
--    ON DELETE CASCADE.
-- 2. ledger_reserve moves all of a request's counters in one INSERT ... ON CONFLICT DO UPDATE
--    instead of one per line: the rows come from a sort in the lock order of V2, and the insert
--    locks each row as it takes it, so the order in which counter rows are locked is unchanged.
--    All or nothing as before: if any line had no room (no row came back for it), the first
--    such line in lock order is reported (GWB01, DETAIL 'n:committed:reserved', n its 1-based
--    position as given) and the raise rolls back everything.
-- 3. ledger_settle writes the counters of a batch in one UPDATE (locking them first, in lock order,
--    by a SELECT ... ORDER BY ... FOR UPDATE in its FROM, as alert_thresholds_changed does, V117)
--    instead of one UPDATE per counter.
-- 4. ledger_reserve_batch writes each counter's total in one UPDATE after the decisions (its rows
--    are locked by then, in lock order, by its first loop) instead of one UPDATE per counter.

ALTER TABLE reservation_lines DROP CONSTRAINT reservation_lines_reservation_id_fkey;

CREATE OR REPLACE FUNCTION ledger_reserve(
    p_id text, p_amount bigint, p_now timestamptz, p_expires timestamptz, p_pending jsonb,
    p_kinds text[], p_ids text[], p_windows text[], p_periods text[], p_limits bigint[],
    p_resets timestamptz[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_line int;
  v_committed bigint;
  v_reserved bigint;
BEGIN
  -- Cold rows first; the hot counter rows last, so their locks are held the shortest time.
  INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
    VALUES (p_id, p_amount, 'held', p_now, p_expires, p_pending);
  INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
    SELECT p_id, t.k, t.i, t.w, t.p FROM unnest(p_kinds, p_ids, p_windows, p_periods) AS t(k, i, w, p);
  -- Under READ COMMITTED, ON CONFLICT DO UPDATE locks the existing row and evaluates the WHERE on
  -- its latest committed version: check and increment are one atomic step per row, rows taken in
  -- the sort's (lock) order. A line without room returns no row; the same statement then names
  -- the first line in lock order that did not move (none when all did; its row, if any, is as the
  -- refusal saw it: this statement did not write it).
  WITH u AS (
    INSERT INTO budget_counters AS c (scope_kind, scope_id, time_window, period,
        committed_nanos, reserved_nanos, limit_nanos, resets_at)
      SELECT t.kind, t.sid, t.win, t.period, 0, p_amount, t.lim, t.resets
        FROM unnest(p_kinds, p_ids, p_windows, p_periods, p_limits, p_resets)
          AS t(kind, sid, win, period, lim, resets)
        WHERE p_amount <= t.lim
        ORDER BY ledger_kind_rank(t.kind), t.sid COLLATE "C", t.win COLLATE "C",
          t.period COLLATE "C"
      ON CONFLICT (scope_kind, scope_id, time_window, period) DO UPDATE
        SET reserved_nanos = c.reserved_nanos + EXCLUDED.reserved_nanos,
            limit_nanos = EXCLUDED.limit_nanos
        WHERE c.committed_nanos + c.reserved_nanos + EXCLUDED.reserved_nanos <= EXCLUDED.limit_nanos
      RETURNING c.scope_kind, c.scope_id, c.time_window, c.period)
  SELECT t.n INTO v_line
    FROM unnest(p_kinds, p_ids, p_windows, p_periods) WITH ORDINALITY AS t(kind, sid, win, period, n)
      LEFT JOIN u ON u.scope_kind = t.kind AND u.scope_id = t.sid AND u.time_window = t.win
        AND u.period = t.period
    WHERE u.scope_kind IS NULL
    ORDER BY ledger_kind_rank(t.kind), t.sid COLLATE "C", t.win COLLATE "C", t.period COLLATE "C"
    LIMIT 1;
  IF v_line IS NOT NULL THEN
    SELECT committed_nanos, reserved_nanos INTO v_committed, v_reserved FROM budget_counters
      WHERE scope_kind = p_kinds[v_line] AND scope_id = p_ids[v_line]
        AND time_window = p_windows[v_line] AND period = p_periods[v_line];
    RAISE EXCEPTION 'budget_refused' USING ERRCODE = 'GWB01',
      DETAIL = format('%s:%s:%s', v_line, coalesce(v_committed, 0), coalesce(v_reserved, 0));
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION ledger_settle(
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
           GROUP BY rl.scope_kind, rl.scope_id, rl.time_window, rl.period
           -- a counter the batch moves by nothing (0/0) is not written
           HAVING sum(r.amount_nanos) <> 0 OR sum(r.cost_nanos) <> 0)
  SELECT (SELECT count(*) FROM r), array_agg(c.scope_kind), array_agg(c.scope_id),
      array_agg(c.time_window), array_agg(c.period), array_agg(c.released), array_agg(c.charged)
    INTO v_done, v_kinds, v_scopes, v_windows, v_periods, v_released, v_charged
    FROM c;

  -- Counters last, in one statement: locked in lock order (the ORDER BY is applied before FOR
  -- UPDATE locks the rows it returns), then written.
  IF cardinality(v_kinds) > 0 THEN
    UPDATE budget_counters b
      SET reserved_nanos = b.reserved_nanos - l.released,
          committed_nanos = b.committed_nanos + l.charged
      FROM (SELECT k.kind, k.sid, k.win, k.period, k.released, k.charged
              FROM unnest(v_kinds, v_scopes, v_windows, v_periods, v_released, v_charged)
                  AS k(kind, sid, win, period, released, charged)
                JOIN budget_counters x ON x.scope_kind = k.kind AND x.scope_id = k.sid
                  AND x.time_window = k.win AND x.period = k.period
              ORDER BY ledger_kind_rank(k.kind), k.sid COLLATE "C", k.win COLLATE "C",
                k.period COLLATE "C"
              FOR UPDATE OF x) l
      WHERE b.scope_kind = l.kind AND b.scope_id = l.sid AND b.time_window = l.win
        AND b.period = l.period;
  END IF;
  RETURN v_done;
END
$$;

-- As V103, but the counters written in one UPDATE at the end (4. above).
CREATE OR REPLACE FUNCTION ledger_reserve_batch(p_items jsonb)
  RETURNS TABLE(item int, line int, committed bigint, reserved bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  c record;
  it record;
  x record;
  v_keys text[] := '{}';
  v_committed bigint[] := '{}';
  v_held bigint[] := '{}';
  v_added bigint[] := '{}';
  v_limit bigint[] := '{}';
  v_kinds text[] := '{}';
  v_sids text[] := '{}';
  v_wins text[] := '{}';
  v_pers text[] := '{}';
  v_c bigint;
  v_r bigint;
  v_amount bigint;
  v_at int[];
  v_lims bigint[];
  v_refused int;
  k int;
BEGIN
  FOR c IN
    SELECT d.* FROM (
        SELECT DISTINCT ON (ln->>'kind', ln->>'id', ln->>'window', ln->>'period')
            ln->>'kind' AS kind, ln->>'id' AS sid, ln->>'window' AS win, ln->>'period' AS period,
            (ln->>'limit')::bigint AS lim, (ln->>'resets')::timestamptz AS resets
          FROM jsonb_array_elements(p_items) AS b(v), jsonb_array_elements(b.v->'lines') AS l(ln)
      ) d
      ORDER BY ledger_kind_rank(d.kind), d.sid COLLATE "C", d.win COLLATE "C",
        d.period COLLATE "C"
  LOOP
    SELECT committed_nanos, reserved_nanos INTO v_c, v_r FROM budget_counters
      WHERE scope_kind = c.kind AND scope_id = c.sid AND time_window = c.win AND period = c.period
      FOR UPDATE;
    IF NOT FOUND THEN
      INSERT INTO budget_counters (scope_kind, scope_id, time_window, period, committed_nanos,
          reserved_nanos, limit_nanos, resets_at)
        VALUES (c.kind, c.sid, c.win, c.period, 0, 0, c.lim, c.resets)
        ON CONFLICT DO NOTHING;
      -- Ours, or one a concurrent writer created first (the insert waited for it).
      SELECT committed_nanos, reserved_nanos INTO v_c, v_r FROM budget_counters
        WHERE scope_kind = c.kind AND scope_id = c.sid AND time_window = c.win
          AND period = c.period
        FOR UPDATE;
    END IF;
    v_keys := v_keys || jsonb_build_array(c.kind, c.sid, c.win, c.period)::text;
    v_kinds := v_kinds || c.kind;
    v_sids := v_sids || c.sid;
    v_wins := v_wins || c.win;
    v_pers := v_pers || c.period;
    v_committed := v_committed || v_c;
    v_held := v_held || v_r;
    v_added := v_added || 0::bigint;
    v_limit := v_limit || c.lim;
  END LOOP;

  FOR it IN SELECT b.v, b.n FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n) LOOP
    v_amount := (it.v->>'amount')::bigint;
    SELECT array_agg(array_position(v_keys,
               jsonb_build_array(l.ln->>'kind', l.ln->>'id', l.ln->>'window', l.ln->>'period')::text)
             ORDER BY l.n),
           array_agg((l.ln->>'limit')::bigint ORDER BY l.n)
      INTO v_at, v_lims
      FROM jsonb_array_elements(it.v->'lines') WITH ORDINALITY AS l(ln, n);
    v_refused := NULL;
    FOR i IN 1 .. coalesce(array_length(v_at, 1), 0) LOOP
      k := v_at[i];
      IF v_committed[k] + v_held[k] + v_added[k] + v_amount > v_lims[i] THEN
        v_refused := i;
        EXIT;
      END IF;
    END LOOP;
    IF v_refused IS NOT NULL THEN
      k := v_at[v_refused];
      item := it.n;
      line := v_refused;
      committed := v_committed[k];
      reserved := v_held[k] + v_added[k];
      RETURN NEXT;
      CONTINUE;
    END IF;
    FOR i IN 1 .. coalesce(array_length(v_at, 1), 0) LOOP
      k := v_at[i];
      v_added[k] := v_added[k] + v_amount;
      v_limit[k] := v_lims[i];
    END LOOP;
    INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
      VALUES (it.v->>'id', v_amount, 'held', (it.v->>'now')::timestamptz,
        (it.v->>'expires')::timestamptz, it.v->'pending');
    INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
      SELECT it.v->>'id', l.ln->>'kind', l.ln->>'id', l.ln->>'window', l.ln->>'period'
        FROM jsonb_array_elements(it.v->'lines') AS l(ln);
  END LOOP;

  -- Every counter row is locked by now (first loop): one UPDATE writes them all.
  UPDATE budget_counters b
    SET reserved_nanos = b.reserved_nanos + u.added, limit_nanos = u.lim
    FROM unnest(v_kinds, v_sids, v_wins, v_pers, v_added, v_limit)
      AS u(kind, sid, win, period, added, lim)
    WHERE u.added > 0 AND b.scope_kind = u.kind AND b.scope_id = u.sid AND b.time_window = u.win
      AND b.period = u.period;
END
$$;
