-- Rate-limit bookkeeping commits without waiting for the WAL flush: a rate-limited request makes
-- two writes (acquire before the model is called, release after), and with budget leases they
-- were its only durable commits, each a disk flush (0.3 ms at p50, 2-5 ms in the tail here).
--
-- Safe because rate limits are not money. A database crash can lose the last few hundred
-- milliseconds of rate bookkeeping: a lost acquire frees its minute count or parallel slot early
-- (after the crash a client may briefly get what was lost on top of its limit); a lost release
-- keeps a slot until its permit expires (stricter). Budgets are untouched: they live in the
-- ledger, whose reservations stay durable. Visibility is unchanged (other sessions see the commit
-- at once), so limits hold across instances exactly as before.
--
-- Wrappers rather than new versions of V102/V3, so the logic stays in one place; set_config with
-- is_local applies to the calling transaction's commit (a function SET clause would be undone
-- before the commit).
CREATE FUNCTION rate_acquire_nosync(
    p_permit text, p_minute timestamptz, p_tokens bigint, p_now timestamptz, p_expires timestamptz,
    p_scopes text[], p_rpm bigint[], p_tpm bigint[], p_parallel bigint[],
    OUT remaining_requests bigint, OUT limit_requests bigint,
    OUT remaining_tokens bigint, OUT limit_tokens bigint)
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  SELECT r.remaining_requests, r.limit_requests, r.remaining_tokens, r.limit_tokens
    INTO remaining_requests, limit_requests, remaining_tokens, limit_tokens
    FROM rate_acquire(p_permit, p_minute, p_tokens, p_now, p_expires, p_scopes, p_rpm, p_tpm,
        p_parallel) r;
END
$$;

CREATE FUNCTION rate_release_nosync(p_permit text, p_actual bigint, p_scopes text[])
  RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN rate_release(p_permit, p_actual, p_scopes);
END
$$;
