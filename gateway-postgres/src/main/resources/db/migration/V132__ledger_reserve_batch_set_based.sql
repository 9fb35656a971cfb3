-- ledger_reserve_batch (V103, V128) in eight statements whatever the batch holds (issue 18,
-- docs/PERFORMANCE.md "Fourteenth session"). Before, it ran two statements per counter (lock, or
-- create and lock) and three per request (find its lines' counters, insert the reservation,
-- insert its lines): for 15 requests on 20 counters some 80 statements, each with its executor
-- start-up; at 32 connections those per-request statements were ~100 µs of PostgreSQL time a
-- request (pg_stat_statements). Semantics are V128's, request for request:
-- - every counter a request of the batch names is created if missing (at its first line's limit)
--   and locked, in lock order, before anything else is written, refused requests' counters too;
-- - requests are decided in the order given, each seeing the amounts of those admitted before it:
--   a request is refused at its first line (in its own order) without room, reported with that
--   counter's committed and its reserved so far, and holds nothing;
-- - admitted requests get their reservation and lines; each counter then moves once, by what the
--   batch admitted on it, and takes the limit of the last admitted line on it.
-- The lock order is computed once, into arrays the later statements read. The lock statement is
-- an upsert whose update never applies (WHERE false): ON CONFLICT DO UPDATE locks the existing row
-- before it evaluates the WHERE (as V128's ledger_reserve relies on), and a new row is inserted
-- and so locked, one row after the other in the insert's (lock) order.
CREATE OR REPLACE FUNCTION ledger_reserve_batch(p_items jsonb)
  RETURNS TABLE(item int, line int, committed bigint, reserved bigint)
  LANGUAGE plpgsql
  -- V130: primary-key probes whatever the statistics say
  SET enable_seqscan = off SET enable_bitmapscan = off
  AS $$
DECLARE
  -- the batch's counters in lock order, and what they hold
  v_kinds text[];
  v_sids text[];
  v_wins text[];
  v_pers text[];
  v_new_limits bigint[];
  v_resets timestamptz[];
  v_committed bigint[];
  v_held bigint[];
  v_added bigint[];
  v_limit bigint[];
  -- every line of every request, by request then line: the request, its counter, its limit
  v_item int[];
  v_at int[];
  v_lim bigint[];
  v_amount bigint[];
  v_admitted int[] := '{}';
  v_first int := 1;
  v_last int;
  v_refused int;
  k int;
BEGIN
  -- the batch's counters, each once, in lock order (a new one starts at its first line's limit)
  SELECT array_agg(d.kind ORDER BY d.n), array_agg(d.sid ORDER BY d.n),
      array_agg(d.win ORDER BY d.n), array_agg(d.period ORDER BY d.n),
      array_agg(d.lim ORDER BY d.n), array_agg(d.resets ORDER BY d.n)
    INTO v_kinds, v_sids, v_wins, v_pers, v_new_limits, v_resets
    FROM (SELECT f.*, row_number() OVER (ORDER BY ledger_kind_rank(f.kind), f.sid COLLATE "C",
              f.win COLLATE "C", f.period COLLATE "C") AS n
            FROM (SELECT DISTINCT ON (ln->>'kind', ln->>'id', ln->>'window', ln->>'period')
                      ln->>'kind' AS kind, ln->>'id' AS sid, ln->>'window' AS win,
                      ln->>'period' AS period, (ln->>'limit')::bigint AS lim,
                      (ln->>'resets')::timestamptz AS resets
                    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n),
                      jsonb_array_elements(b.v->'lines') WITH ORDINALITY AS l(ln, m)
                    ORDER BY ln->>'kind', ln->>'id', ln->>'window', ln->>'period', b.n, l.m) f) d;

  -- created if missing and locked, one after the other in that order
  INSERT INTO budget_counters AS c (scope_kind, scope_id, time_window, period, committed_nanos,
      reserved_nanos, limit_nanos, resets_at)
    SELECT t.kind, t.sid, t.win, t.period, 0, 0, t.lim, t.resets
      FROM unnest(v_kinds, v_sids, v_wins, v_pers, v_new_limits, v_resets) WITH ORDINALITY
        AS t(kind, sid, win, period, lim, resets, n)
      ORDER BY t.n
    ON CONFLICT (scope_kind, scope_id, time_window, period) DO UPDATE
      SET reserved_nanos = c.reserved_nanos WHERE false;

  -- locked by now: what they hold
  SELECT array_agg(c.committed_nanos ORDER BY t.n), array_agg(c.reserved_nanos ORDER BY t.n)
    INTO v_committed, v_held
    FROM unnest(v_kinds, v_sids, v_wins, v_pers) WITH ORDINALITY AS t(kind, sid, win, period, n)
      JOIN budget_counters c ON c.scope_kind = t.kind AND c.scope_id = t.sid
        AND c.time_window = t.win AND c.period = t.period;
  v_added := array_fill(0::bigint, ARRAY[coalesce(cardinality(v_kinds), 0)]);
  v_limit := v_added;

  SELECT array_agg((b.v->>'amount')::bigint ORDER BY b.n) INTO v_amount
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n);

  SELECT array_agg(b.n::int ORDER BY b.n, l.m),
      array_agg(x.n ORDER BY b.n, l.m),
      array_agg((ln->>'limit')::bigint ORDER BY b.n, l.m)
    INTO v_item, v_at, v_lim
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n),
      jsonb_array_elements(b.v->'lines') WITH ORDINALITY AS l(ln, m),
      LATERAL (SELECT u.n::int AS n
                 FROM unnest(v_kinds, v_sids, v_wins, v_pers) WITH ORDINALITY
                   AS u(kind, sid, win, period, n)
                 WHERE u.kind = ln->>'kind' AND u.sid = ln->>'id' AND u.win = ln->>'window'
                   AND u.period = ln->>'period') x;

  -- the decisions, request by request, in memory
  FOR i IN 1 .. cardinality(v_amount) LOOP
    v_last := v_first - 1;
    WHILE v_last < coalesce(cardinality(v_item), 0) AND v_item[v_last + 1] = i LOOP
      v_last := v_last + 1;
    END LOOP;
    v_refused := NULL;
    FOR j IN v_first .. v_last LOOP
      k := v_at[j];
      IF v_committed[k] + v_held[k] + v_added[k] + v_amount[i] > v_lim[j] THEN
        v_refused := j;
        EXIT;
      END IF;
    END LOOP;
    IF v_refused IS NOT NULL THEN
      k := v_at[v_refused];
      item := i;
      line := v_refused - v_first + 1;
      committed := v_committed[k];
      reserved := v_held[k] + v_added[k];
      RETURN NEXT;
    ELSE
      FOR j IN v_first .. v_last LOOP
        k := v_at[j];
        v_added[k] := v_added[k] + v_amount[i];
        v_limit[k] := v_lim[j];
      END LOOP;
      v_admitted := v_admitted || i;
    END IF;
    v_first := v_last + 1;
  END LOOP;

  INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
    SELECT b.v->>'id', (b.v->>'amount')::bigint, 'held', (b.v->>'now')::timestamptz,
        (b.v->>'expires')::timestamptz, b.v->'pending'
      FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n)
      WHERE b.n = ANY(v_admitted)
      ORDER BY b.n;
  INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
    SELECT b.v->>'id', l.ln->>'kind', l.ln->>'id', l.ln->>'window', l.ln->>'period'
      FROM jsonb_array_elements(p_items) WITH ORDINALITY AS b(v, n),
        jsonb_array_elements(b.v->'lines') AS l(ln)
      WHERE b.n = ANY(v_admitted);

  -- Every counter row is locked by now (the upsert): one UPDATE writes them all.
  UPDATE budget_counters b
    SET reserved_nanos = b.reserved_nanos + u.added, limit_nanos = u.lim
    FROM unnest(v_kinds, v_sids, v_wins, v_pers, v_added, v_limit)
      AS u(kind, sid, win, period, added, lim)
    WHERE u.added > 0 AND b.scope_kind = u.kind AND b.scope_id = u.sid AND b.time_window = u.win
      AND b.period = u.period;
END
$$;
