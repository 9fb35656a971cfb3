-- Rate limits off the database's hot path (issue 18). Instead of two statements per request
-- (rate_acquire before the call, rate_release after), an instance takes slices of each scope's
-- minute allowance and leases of parallel slots, counts requests against them in memory, and comes
-- back only when a slice runs out (SlicedRateLimiter).
--
-- rate_windows keeps its shape but now counts what has been handed out (to admissions of instances
-- not yet upgraded, one at a time, and to slices of upgraded ones, several at a time), always under
-- the limit, so the sum over instances never exceeds it. Unused parts of a slice lapse with the minute.
--
-- Parallel slots: one rate_slot_leases row per (scope, instance) says how many slots that instance
-- may hold until expires_at (later than every request it admitted under it, so a dead instance's
-- slots lapse like a dead request's slot did). rate_slots (one per request, from instances not yet
-- upgraded) still counts, so old and new instances share one limit during a rolling upgrade.
--
-- Like V105, these commit without waiting for the WAL flush: a crash can lose the last few hundred
-- milliseconds of slices or leases, which lets a client briefly exceed its limit after a crash.
-- Rate limits are not money.
CREATE TABLE rate_slot_leases (
  scope       text        NOT NULL REFERENCES rate_scopes (scope) ON DELETE CASCADE,
  holder      text        NOT NULL CHECK (char_length(holder) BETWEEN 1 AND 128),
  slots       bigint      NOT NULL CHECK (slots >= 0),
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (scope, holder)
);

-- Hands out a slice of one scope's minute: up to p_want_* requests and tokens, all or nothing: if
-- either limit has less left than p_need_* (what the caller's request lacks), nothing is handed out.
-- A NULL limit is not counted. Returns what was granted and the scope's totals handed out after it.
CREATE FUNCTION rate_take_slice(
    p_scope text, p_minute timestamptz,
    p_rpm bigint, p_need_requests bigint, p_want_requests bigint,
    p_tpm bigint, p_need_tokens bigint, p_want_tokens bigint,
    OUT granted_requests bigint, OUT granted_tokens bigint,
    OUT taken_requests bigint, OUT taken_tokens bigint)
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO rate_windows (scope, minute, requests, tokens) VALUES (p_scope, p_minute, 0, 0)
    ON CONFLICT DO NOTHING;
  SELECT requests, tokens INTO taken_requests, taken_tokens
    FROM rate_windows WHERE scope = p_scope AND minute = p_minute FOR UPDATE;
  IF (p_rpm IS NOT NULL AND p_rpm - taken_requests < p_need_requests)
      OR (p_tpm IS NOT NULL AND p_tpm - taken_tokens < p_need_tokens) THEN
    granted_requests := 0;
    granted_tokens := 0;
    RETURN;
  END IF;
  granted_requests := CASE WHEN p_rpm IS NULL THEN 0
    ELSE greatest(0, least(p_want_requests, p_rpm - taken_requests)) END;
  granted_tokens := CASE WHEN p_tpm IS NULL THEN 0
    ELSE greatest(0, least(p_want_tokens, p_tpm - taken_tokens)) END;
  taken_requests := taken_requests + granted_requests;
  taken_tokens := taken_tokens + granted_tokens;
  UPDATE rate_windows SET requests = taken_requests, tokens = taken_tokens
    WHERE scope = p_scope AND minute = p_minute;
END
$$;

-- Sets how many of a scope's parallel slots p_holder holds: up to p_want, at least p_need, out of
-- what the other holders' live leases and live per-request slots leave; NULL (and the lease left as
-- it was) when fewer than p_need are free. Shrinking a live lease always succeeds (even after the
-- limit was lowered), so an instance never loses slots its running requests hold. Serialised per
-- scope by its rate_scopes row, as in V3.
CREATE FUNCTION rate_hold_slots(
    p_scope text, p_holder text, p_parallel bigint, p_need bigint, p_want bigint,
    p_now timestamptz, p_expires timestamptz)
  RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_others bigint;
  v_held bigint;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO rate_scopes (scope) VALUES (p_scope) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM rate_scopes WHERE scope = p_scope FOR UPDATE;
  UPDATE rate_slot_leases SET slots = p_want, expires_at = greatest(expires_at, p_expires)
    WHERE scope = p_scope AND holder = p_holder AND expires_at > p_now AND slots >= p_want
      AND p_need <= p_want
    RETURNING slots INTO v_held;
  IF FOUND THEN
    RETURN v_held;
  END IF;
  SELECT (SELECT count(*) FROM rate_slots WHERE scope = p_scope AND expires_at > p_now)
       + (SELECT coalesce(sum(slots), 0) FROM rate_slot_leases
            WHERE scope = p_scope AND holder <> p_holder AND expires_at > p_now)
    INTO v_others;
  IF p_parallel - v_others < p_need THEN
    RETURN NULL;
  END IF;
  v_held := greatest(0, least(p_want, p_parallel - v_others));
  INSERT INTO rate_slot_leases AS l (scope, holder, slots, expires_at)
    VALUES (p_scope, p_holder, v_held, p_expires)
    ON CONFLICT (scope, holder) DO UPDATE
      SET slots = EXCLUDED.slots, expires_at = greatest(l.expires_at, EXCLUDED.expires_at);
  RETURN v_held;
END
$$;
