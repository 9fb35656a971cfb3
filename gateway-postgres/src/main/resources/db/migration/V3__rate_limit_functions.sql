-- Rate-limit admission and release as single statements, for the same reason as the ledger (V2):
-- a team-wide limit's rows are shared by every member, and their locks must not be held across a
-- client round trip. Scopes are taken in byte order of their names.

-- Admits one request under every scope, all or nothing. A NULL limit means unlimited. Refusal
-- raises SQLSTATE GWR01 with DETAIL 'n:kind:max' (n = 1-based index of the scope in the arrays as
-- given; kind RPM, TPM or PARALLEL), rolling back everything this call counted.
CREATE FUNCTION rate_acquire(
    p_permit text, p_minute timestamptz, p_tokens bigint, p_now timestamptz, p_expires timestamptz,
    p_scopes text[], p_rpm bigint[], p_tpm bigint[], p_parallel bigint[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s record;
  v_held bigint;
  v_requests bigint;
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
            AND w.tokens + EXCLUDED.tokens <= coalesce(s.tpm, 9223372036854775807);
      IF NOT FOUND THEN
        SELECT requests INTO v_requests FROM rate_windows WHERE scope = s.scope AND minute = p_minute;
        IF s.rpm IS NOT NULL AND coalesce(v_requests, 0) + 1 > s.rpm THEN
          RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'GWR01',
            DETAIL = format('%s:RPM:%s', s.n, s.rpm);
        END IF;
        RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'GWR01',
          DETAIL = format('%s:TPM:%s', s.n, s.tpm);
      END IF;
    END IF;
  END LOOP;
END
$$;

-- Releases a permit once: frees its parallel slots and replaces the token estimate with the
-- actual count in the minute it was admitted. Returns false if it was already released.
CREATE FUNCTION rate_release(p_permit text, p_actual bigint, p_scopes text[])
  RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_minute timestamptz;
  v_estimate bigint;
  v_scope text;
BEGIN
  UPDATE rate_permits SET released = true WHERE id = p_permit AND NOT released
    RETURNING minute, estimated_tokens INTO v_minute, v_estimate;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  FOR v_scope IN SELECT t.s FROM unnest(p_scopes) AS t(s) ORDER BY t.s COLLATE "C" LOOP
    UPDATE rate_windows SET tokens = greatest(0, tokens - v_estimate + p_actual)
      WHERE scope = v_scope AND minute = v_minute;
  END LOOP;
  DELETE FROM rate_slots WHERE permit_id = p_permit;
  RETURN true;
END
$$;
