-- ledger_reserve_batch as columns (issue 18): the same function as V132, request for request and
-- row for row, taking the batch as one array per field instead of one JSON document, as
-- ledger_settle (V124) and ledger_draw (V134) take theirs. The gateway batches reserves this way
-- whenever requests queue up behind one another with budget leases off (ReserveBatcher).
--
-- Why: every field of every line was read out of the JSON with ->> two to four times (the lock
-- order, each line's counter, the lines' insert), and the gateway built a map per request and per
-- line to write it. pgbench, one client, a batch of 15 requests on two lines each: backend CPU 134,
-- 144, 151 us a request with the JSON against 115, 117, 112 with columns (docs/PERFORMANCE.md
-- "Sixteenth session").
--
-- Parameters: the requests' ids, amounts, times, pending records (JSON text, stored as jsonb);
-- then their lines, flattened in request order and within a request in the order given (the
-- gateway sends each request's lines in lock order), p_line_items naming each line's request by
-- its 1-based position. Semantics are V132's:
-- - every counter a line names is created if missing (at its first line's limit) and locked, in
--   lock order, before anything else is written, refused requests' counters too;
-- - requests are decided in the order given, each seeing the amounts of those admitted before it:
--   a request is refused at its first line without room, reported with that counter's committed
--   and its reserved so far, and holds nothing;
-- - admitted requests get their reservation and lines; each counter then moves once, by what the
--   batch admitted on it, and takes the limit of the last admitted line on it.
-- ledger_reserve_batch(jsonb) is left in place: instances of the previous release call it until
-- they are replaced (a rolling upgrade); nothing in this release calls it.
CREATE FUNCTION ledger_reserve_batch(
    p_ids text[], p_amounts bigint[], p_now timestamptz[], p_expires timestamptz[],
    p_pending text[], p_line_items int[], p_kinds text[], p_sids text[], p_windows text[],
    p_periods text[], p_limits bigint[], p_resets timestamptz[])
  RETURNS TABLE(item int, line int, committed bigint, reserved bigint)
  LANGUAGE plpgsql
  -- primary-key probes whatever the statistics say (V130)
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
  -- each line's counter, by its position in lock order
  v_at int[];
  v_admitted int[] := '{}';
  v_first int := 1;
  v_last int;
  v_refused int;
  v_lines int := coalesce(cardinality(p_line_items), 0);
  k int;
BEGIN
  -- the batch's counters, each once, in lock order (a new one starts at its first line's limit)
  SELECT array_agg(d.kind ORDER BY d.n), array_agg(d.sid ORDER BY d.n),
      array_agg(d.win ORDER BY d.n), array_agg(d.period ORDER BY d.n),
      array_agg(d.lim ORDER BY d.n), array_agg(d.resets ORDER BY d.n)
    INTO v_kinds, v_sids, v_wins, v_pers, v_new_limits, v_resets
    FROM (SELECT f.*, row_number() OVER (ORDER BY ledger_kind_rank(f.kind), f.sid COLLATE "C",
              f.win COLLATE "C", f.period COLLATE "C") AS n
            FROM (SELECT DISTINCT ON (l.kind, l.sid, l.win, l.period)
                      l.kind, l.sid, l.win, l.period, l.lim, l.resets
                    FROM unnest(p_kinds, p_sids, p_windows, p_periods, p_limits, p_resets)
                      WITH ORDINALITY AS l(kind, sid, win, period, lim, resets, m)
                    ORDER BY l.kind, l.sid, l.win, l.period, l.m) f) d;

  -- created if missing and locked, one after the other in that order (an upsert whose update
  -- never applies: ON CONFLICT DO UPDATE locks the existing row before it evaluates the WHERE)
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

  SELECT array_agg(u.n::int ORDER BY l.m) INTO v_at
    FROM unnest(p_kinds, p_sids, p_windows, p_periods) WITH ORDINALITY AS l(kind, sid, win, period, m)
      JOIN unnest(v_kinds, v_sids, v_wins, v_pers) WITH ORDINALITY AS u(kind, sid, win, period, n)
        ON u.kind = l.kind AND u.sid = l.sid AND u.win = l.win AND u.period = l.period;

  -- the decisions, request by request, in memory
  FOR i IN 1 .. coalesce(cardinality(p_ids), 0) LOOP
    v_last := v_first - 1;
    WHILE v_last < v_lines AND p_line_items[v_last + 1] = i LOOP
      v_last := v_last + 1;
    END LOOP;
    v_refused := NULL;
    FOR j IN v_first .. v_last LOOP
      k := v_at[j];
      IF v_committed[k] + v_held[k] + v_added[k] + p_amounts[i] > p_limits[j] THEN
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
        v_added[k] := v_added[k] + p_amounts[i];
        v_limit[k] := p_limits[j];
      END LOOP;
      v_admitted := v_admitted || i;
    END IF;
    v_first := v_last + 1;
  END LOOP;

  INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)
    SELECT r.id, r.amount, 'held', r.now, r.expires, r.pending::jsonb
      FROM unnest(p_ids, p_amounts, p_now, p_expires, p_pending) WITH ORDINALITY
        AS r(id, amount, now, expires, pending, n)
      WHERE r.n = ANY(v_admitted)
      ORDER BY r.n;
  INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window, period)
    SELECT p_ids[l.item], l.kind, l.sid, l.win, l.period
      FROM unnest(p_line_items, p_kinds, p_sids, p_windows, p_periods) AS l(item, kind, sid, win, period)
      WHERE l.item = ANY(v_admitted);

  -- Every counter row is locked by now (the upsert): one UPDATE writes them all.
  UPDATE budget_counters b
    SET reserved_nanos = b.reserved_nanos + u.added, limit_nanos = u.lim
    FROM unnest(v_kinds, v_sids, v_wins, v_pers, v_added, v_limit)
      AS u(kind, sid, win, period, added, lim)
    WHERE u.added > 0 AND b.scope_kind = u.kind AND b.scope_id = u.sid AND b.time_window = u.win
      AND b.period = u.period;
END
$$;
