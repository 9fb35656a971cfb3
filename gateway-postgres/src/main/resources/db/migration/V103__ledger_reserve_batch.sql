-- Reserves for many requests in one statement, so that one commit (one WAL flush) and one client
-- round trip serve a whole group of concurrent requests (the adapter's ReserveBatcher forms the
-- groups). For each request it decides exactly what ledger_reserve decides: all of its lines have
-- room (committed + reserved + amount <= limit) or nothing is held; requests are decided in the
-- order given, each seeing the ones before it.
--
-- 1. Every counter of the batch is locked (created if missing, as a row with nothing held), one by
--    one in the lock order of V2, so a batch never waits in a cycle with another batch, a single
--    reserve, a settle or an expiry; its balance is read as it is locked.
-- 2. The requests are decided against those balances in memory, each accepted one adding to what
--    the batch holds on its counters; accepted requests get their reservation rows.
-- 3. Each counter is written once, with everything the batch reserved on it (fewer row versions
--    and less WAL than one update per request and line).
-- A counter created for a request that is then refused stays, empty (it reads as unused).
--
-- p_items: JSON array of {id, amount, now, expires, pending, lines: [{kind, id, window, period,
-- limit, resets}]} with each item's lines in lock order. Returns one row per refused item: its
-- 1-based position, the 1-based index of its first line without room, and that counter's committed
-- and reserved amounts at that point. Items not returned were reserved.
CREATE FUNCTION ledger_reserve_batch(p_items jsonb)
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

  FOR k IN 1 .. coalesce(array_length(v_keys, 1), 0) LOOP
    IF v_added[k] > 0 THEN
      UPDATE budget_counters
        SET reserved_nanos = reserved_nanos + v_added[k], limit_nanos = v_limit[k]
        WHERE scope_kind = (v_keys[k]::jsonb)->>0 AND scope_id = (v_keys[k]::jsonb)->>1
          AND time_window = (v_keys[k]::jsonb)->>2 AND period = (v_keys[k]::jsonb)->>3;
    END IF;
  END LOOP;
END
$$;
