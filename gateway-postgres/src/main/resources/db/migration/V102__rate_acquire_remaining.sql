-- rate_acquire (V3) now also reports what the per-minute limits have left after counting the
-- request, so the server can send x-ratelimit-remaining-* headers without another round trip: the
-- counts come out of the same upserts that admit the request (RETURNING the new row).
--
-- For RPM and for TPM separately: among the scopes carrying that limit, the one with the fewest
-- requests (tokens) left, and its limit (on a tie, the smaller limit); all four are NULL where no
-- scope carries the limit. Everything else is unchanged from V3: the same lock order (byte order
-- of the scope names; a scope's rate_scopes row before its rate_windows row), the same conditional
-- upsert, the same refusal (SQLSTATE GWR01, DETAIL 'n:kind:max').
--
-- The result type changes, so the function is dropped and created again. Flyway runs this file in
-- one transaction: a concurrent caller sees the old function or the new one. Callers of the old
-- shape ("SELECT 1 FROM rate_acquire(...)") keep working: the function still returns one row.
DROP FUNCTION rate_acquire(
    text, timestamptz, bigint, timestamptz, timestamptz, text[], bigint[], bigint[], bigint[]);

CREATE FUNCTION rate_acquire(
    p_permit text, p_minute timestamptz, p_tokens bigint, p_now timestamptz, p_expires timestamptz,
    p_scopes text[], p_rpm bigint[], p_tpm bigint[], p_parallel bigint[],
    OUT remaining_requests bigint, OUT limit_requests bigint,
    OUT remaining_tokens bigint, OUT limit_tokens bigint)
  LANGUAGE plpgsql AS $$
DECLARE
  s record;
  v_held bigint;
  v_requests bigint;
  v_tokens bigint;
BEGIN
  INSERT INTO rate_permits (id, minute, estimated_tokens, expires_at)
    VALUES (p_permit, p_minute, p_tokens, p_expires);
  FOR s IN
    SELECT t.* FROM unnest(p_scopes, p_rpm, p_tpm, p_parallel) WITH ORDINALITY
        AS t(scope, rpm, tpm, parallel, n)
      ORDER BY t.scope COLLATE "C"
  LOOP
    IF s.parallel IS NOT NULL THEN
      INSERT INTO rate_scopes (scope) VALUES (s.scope) ON CONFLICT DO NOTHING;
      -- Serialises this scope's admissions, so the count below is exact.
      PERFORM 1 FROM rate_scopes WHERE scope = s.scope FOR UPDATE;
      SELECT count(*) INTO v_held FROM rate_slots WHERE scope = s.scope AND expires_at > p_now;
      IF v_held >= s.parallel THEN
        RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'GWR01',
          DETAIL = format('%s:PARALLEL:%s', s.n, s.parallel);
      END IF;
      INSERT INTO rate_slots (permit_id, scope, expires_at) VALUES (p_permit, s.scope, p_expires);
    END IF;
    IF s.rpm IS NOT NULL OR s.tpm IS NOT NULL THEN
      INSERT INTO rate_windows AS w (scope, minute, requests, tokens)
        SELECT s.scope, p_minute, 1, p_tokens
        WHERE 1 <= coalesce(s.rpm, 9223372036854775807)
          AND p_tokens <= coalesce(s.tpm, 9223372036854775807)
        ON CONFLICT (scope, minute) DO UPDATE
          SET requests = w.requests + 1, tokens = w.tokens + EXCLUDED.tokens
          WHERE w.requests + 1 <= coalesce(s.rpm, 9223372036854775807)
            AND w.tokens + EXCLUDED.tokens <= coalesce(s.tpm, 9223372036854775807)
        RETURNING w.requests, w.tokens INTO v_requests, v_tokens;
      IF NOT FOUND THEN
        SELECT requests INTO v_requests FROM rate_windows WHERE scope = s.scope AND minute = p_minute;
        IF s.rpm IS NOT NULL AND coalesce(v_requests, 0) + 1 > s.rpm THEN
          RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'GWR01',
            DETAIL = format('%s:RPM:%s', s.n, s.rpm);
        END IF;
        RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'GWR01',
          DETAIL = format('%s:TPM:%s', s.n, s.tpm);
      END IF;
      -- The row now counts this request, so these are the counts left after it.
      IF s.rpm IS NOT NULL AND (remaining_requests IS NULL
          OR s.rpm - v_requests < remaining_requests
          OR (s.rpm - v_requests = remaining_requests AND s.rpm < limit_requests)) THEN
        remaining_requests := s.rpm - v_requests;
        limit_requests := s.rpm;
      END IF;
      IF s.tpm IS NOT NULL AND (remaining_tokens IS NULL
          OR s.tpm - v_tokens < remaining_tokens
          OR (s.tpm - v_tokens = remaining_tokens AND s.tpm < limit_tokens)) THEN
        remaining_tokens := s.tpm - v_tokens;
        limit_tokens := s.tpm;
      END IF;
    END IF;
  END LOOP;
END
$$;
