-- The single reserve (ledger_reserve: the per-request path with budget leases off, issue 18)
-- works out which line refused only when a line did not move (docs/PERFORMANCE.md "Seventeenth
-- session: the single reserve names its refused line on demand"). Same decisions, same rows, same
-- refusals (line and balance) as V128's, same errors.
--
-- V128 moved the counters in a data-modifying WITH whose outer query, on every call, joined the
-- lines (unnest ... WITH ORDINALITY) to the rows the insert returned and sorted them in lock order,
-- to find the first line whose counter did not move; only a refusal has one. Now:
-- 1. The counter statement is V128's INSERT ... ON CONFLICT DO UPDATE without the WITH around it:
--    same rows, same lock order, every line still taken (so the same errors in the same order).
--    Its row count says whether every line moved: then the reserve is done.
-- 2. Its WHERE is V128's condition; only when that is not true (no room, or NULL) does it call
--    ledger_reserve_note_refusal, which adds the counter's key to a transaction-local setting,
--    ledger.reserve_refused, and returns false (the row not moved, as in V128).
-- 3. Otherwise the function gives V128's answer from that note: the first line in lock order that
--    did not reach the statement (p_amount above its limit, or NULL) or was noted. A request
--    names each counter once (a second line on the same counter fails on reservation_lines'
--    primary key before the counters are touched, as in V128), so a line was noted or it moved.
--    The raise rolls back the note with everything else (a savepoint's rollback too).

CREATE OR REPLACE FUNCTION ledger_reserve_note_refusal(
    p_kind text, p_sid text, p_window text, p_period text)
  RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_set text;
BEGIN
  -- an assignment, which PL/pgSQL evaluates as a simple expression (PERFORM runs a query)
  v_set := set_config('ledger.reserve_refused',
    (coalesce(nullif(current_setting('ledger.reserve_refused', true), ''), '[]')::jsonb
      || jsonb_build_array(jsonb_build_array(p_kind, p_sid, p_window, p_period)))::text,
    true);
  RETURN false;
END
$$;

-- The first line in lock order that did not reach the statement or was noted (3. above).
-- A function of its own for its SET: planned once per connection. Its custom plans (which see the
-- arrays' lengths) were estimated cheaper than the generic one, so the query was planned again on
-- every refusal, some 200 us of backend CPU each. Called only on a refusal: only a refusal pays
-- for the SET.
CREATE OR REPLACE FUNCTION ledger_reserve_refused_line(
    p_amount bigint, p_kinds text[], p_ids text[], p_windows text[], p_periods text[],
    p_limits bigint[])
  RETURNS int LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_noted jsonb;
  v_line int;
BEGIN
  v_noted := coalesce(nullif(current_setting('ledger.reserve_refused', true), ''), '[]')::jsonb;
  SELECT t.n INTO v_line
    FROM unnest(p_kinds, p_ids, p_windows, p_periods, p_limits) WITH ORDINALITY
      AS t(kind, sid, win, period, lim, n)
    WHERE (p_amount <= t.lim) IS NOT TRUE
      OR EXISTS (SELECT FROM jsonb_array_elements(v_noted) AS r(k)
                   WHERE r.k = jsonb_build_array(t.kind, t.sid, t.win, t.period))
    ORDER BY ledger_kind_rank(t.kind), t.sid COLLATE "C", t.win COLLATE "C", t.period COLLATE "C"
    LIMIT 1;
  RETURN v_line;
END
$$;

CREATE OR REPLACE FUNCTION ledger_reserve(
    p_id text, p_amount bigint, p_now timestamptz, p_expires timestamptz, p_pending jsonb,
    p_kinds text[], p_ids text[], p_windows text[], p_periods text[], p_limits bigint[],
    p_resets timestamptz[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_moved bigint;
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
  -- the sort's (lock) order. A row without room stays locked and unwritten, and is noted.
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
      WHERE CASE WHEN c.committed_nanos + c.reserved_nanos + EXCLUDED.reserved_nanos
                   <= EXCLUDED.limit_nanos THEN true
            ELSE ledger_reserve_note_refusal(c.scope_kind, c.scope_id, c.time_window, c.period)
            END;
  GET DIAGNOSTICS v_moved = ROW_COUNT;
  -- Every line moved (V128's lines: the rows of unnest over the four key arrays).
  IF v_moved >= greatest(cardinality(p_kinds), cardinality(p_ids), cardinality(p_windows),
      cardinality(p_periods)) THEN
    RETURN;
  END IF;

  v_line := ledger_reserve_refused_line(p_amount, p_kinds, p_ids, p_windows, p_periods, p_limits);
  -- The refused line's row, if any, as the refusal saw it: this statement did not write it (and
  -- holds its lock when the line reached the statement).
  SELECT committed_nanos, reserved_nanos INTO v_committed, v_reserved FROM budget_counters
    WHERE scope_kind = p_kinds[v_line] AND scope_id = p_ids[v_line]
      AND time_window = p_windows[v_line] AND period = p_periods[v_line];
  RAISE EXCEPTION 'budget_refused' USING ERRCODE = 'GWB01',
    DETAIL = format('%s:%s:%s', v_line, coalesce(v_committed, 0), coalesce(v_reserved, 0));
END
$$;
