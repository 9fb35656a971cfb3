-- A budget added mid-period starts from what its scope already spent in the period (issue 16).
-- ledger_seed_counter creates the counter if missing, locks it, and only then sums the spend log
-- for the scope (TEAM: team_id, USER: user_id, KEY: key_id) over requests started in
-- [p_from, p_to); committed becomes the larger of the two. Under READ COMMITTED each statement of
-- this VOLATILE function takes a new snapshot, so the sum runs after the lock is held: a settle that
-- charged the counter before is in both the counter and the sum (GREATEST counts it once), and one
-- waiting on the lock has an uncommitted spend row (not in the sum) and adds its cost after us.
-- Seeding again changes nothing but what the log gained since. It takes one counter lock and no
-- other, so it cannot deadlock with reserve/settle (which take counters in lock order).
-- The period is stored with its zone (V107), as the ledger adapter gives it.
CREATE FUNCTION ledger_seed_counter(
  p_kind text, p_id text, p_window text, p_period text, p_limit bigint, p_resets timestamptz,
  p_from timestamptz, p_to timestamptz)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  spent bigint;
  result bigint;
BEGIN
  INSERT INTO budget_counters
      (scope_kind, scope_id, time_window, period, committed_nanos, reserved_nanos, limit_nanos,
       resets_at)
    VALUES (p_kind, p_id, p_window, p_period, 0, 0, p_limit, p_resets)
    ON CONFLICT (scope_kind, scope_id, time_window, period) DO NOTHING;
  PERFORM 1 FROM budget_counters
    WHERE scope_kind = p_kind AND scope_id = p_id AND time_window = p_window AND period = p_period
    FOR UPDATE;
  -- ended_at >= p_from is implied by started_at >= p_from; it lets the (x_id, ended_at) indexes
  -- bound the scan.
  IF p_kind = 'TEAM' THEN
    SELECT coalesce(sum(cost_nanos), 0) INTO spent FROM spend_log
      WHERE team_id = p_id AND ended_at >= p_from AND started_at >= p_from AND started_at < p_to;
  ELSIF p_kind = 'USER' THEN
    SELECT coalesce(sum(cost_nanos), 0) INTO spent FROM spend_log
      WHERE user_id = p_id AND ended_at >= p_from AND started_at >= p_from AND started_at < p_to;
  ELSE
    SELECT coalesce(sum(cost_nanos), 0) INTO spent FROM spend_log
      WHERE key_id = p_id AND ended_at >= p_from AND started_at >= p_from AND started_at < p_to;
  END IF;
  UPDATE budget_counters SET committed_nanos = greatest(committed_nanos, spent)
    WHERE scope_kind = p_kind AND scope_id = p_id AND time_window = p_window AND period = p_period
    RETURNING committed_nanos INTO result;
  RETURN result;
END;
$$;
