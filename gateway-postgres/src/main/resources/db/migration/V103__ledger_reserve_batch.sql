-- Reserves for many requests in one statement, so that one commit (one WAL flush) and one client
-- round trip serve a whole group of concurrent requests (the adapter's ReserveBatcher forms the
-- groups). For each request it decides exactly what ledger_reserve decides: all of its lines have
-- room (committed + reserved + amount <= limit) or nothing is held; requests are decided in the
-- order given, each seeing the ones before it.
--
-- Every counter of the batch is locked up front (created if missing), one by one in the lock order
-- of V2, so a batch never waits in a cycle with another batch, a single reserve, a settle or an
-- expiry. A counter created for a request that is then refused stays, empty (it reads as unused).
--
-- p_items: JSON array of {id, amount, now, expires, pending, lines: [{kind, id, window, period,
-- limit, resets}]} with each item's lines in lock order. Returns one row per refused item: its
-- 1-based position, the 1-based index of the first line without room, and that counter's committed
-- and reserved amounts. Items not returned were reserved.
CREATE FUNCTION ledger_reserve_batch(p_items jsonb)
  RETURNS TABLE(item int, line int, committed bigint, reserved bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  it record;
  cl record;
  v_refused int;
  v_committed bigint;
  v_reserved bigint;
BEGIN
  -- Every counter of the batch, created if missing and locked, one by one in the lock order of V2:
  -- the INSERT takes the sorted rows in order, and DO UPDATE (a no-op) locks an existing row.
  INSERT INTO budget_counters AS c (scope_kind, scope_id, time_window, period, committed_nanos,
      reserved_nanos, limit_nanos, resets_at)
    SELECT d.k, d.i, d.w, d.p, 0, 0, d.lim, d.resets
      FROM (SELECT DISTINCT ON (ln->>'kind', ln->>'id', ln->>'window', ln->>'period')
                ln->>'kind' AS k, ln->>'id' AS i, ln->>'window' AS w, ln->>'period' AS p,
                (ln->>'limit')::bigint AS lim, (ln->>'resets')::timestamptz AS resets
              FROM jsonb_array_elements(p_items) AS b(v),
                jsonb_array_elements(b.v->'lines') AS x(ln)) d
      ORDER BY ledger_kind_rank(d.k), d.i COLLATE "C", d.w COLLATE "C", d.p COLLATE "C"
    ON CONFLICT (scope_kind, scope_id, time_window, period)
      DO UPDATE SET limit_nanos = c.limit_nanos;

  FOR it IN SELECT b.v, b.n FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n) LOOP
    v_refused := NULL;
    FOR cl IN
      SELECT x.n, c.committed_nanos, c.reserved_nanos, (x.ln->>'limit')::bigint AS lim
        FROM jsonb_array_elements(it.v->'lines') WITH ORDINALITY AS x(ln, n)
          JOIN budget_counters c ON c.scope_kind = x.ln->>'kind' AND c.scope_id = x.ln->>'id'
            AND c.time_window = x.ln->>'window' AND c.period = x.ln->>'period'
        ORDER BY x.n
    LOOP
      IF cl.committed_nanos + cl.reserved_nanos + (it.v->>'amount')::bigint > cl.lim THEN
        v_refused := cl.n;
        v_committed := cl.committed_nanos;
        v_reserved := cl.reserved_nanos;
        EXIT;
      END IF;
    END LOOP;
    IF v_refused IS NOT NULL THEN
      item := it.n;
      line := v_refused;
      committed := v_committed;
      reserved := v_reserved;
      RETURN NEXT;
      CONTINUE;
    END IF;
    INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
      VALUES (it.v->>'id', (it.v->>'amount')::bigint, 'held', (it.v->>'now')::timestamptz,
        (it.v->>'expires')::timestamptz, it.v->'pending');
    INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
      SELECT it.v->>'id', x.ln->>'kind', x.ln->>'id', x.ln->>'window', x.ln->>'period'
        FROM jsonb_array_elements(it.v->'lines') AS x(ln);
    UPDATE budget_counters c
      SET reserved_nanos = c.reserved_nanos + (it.v->>'amount')::bigint,
          limit_nanos = (x.ln->>'limit')::bigint
      FROM jsonb_array_elements(it.v->'lines') AS x(ln)
      WHERE c.scope_kind = x.ln->>'kind' AND c.scope_id = x.ln->>'id'
        AND c.time_window = x.ln->>'window' AND c.period = x.ln->>'period';
  END LOOP;
END
$$;
