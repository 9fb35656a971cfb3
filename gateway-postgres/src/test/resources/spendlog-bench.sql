-- SpendLogBench's generator (docs/POSTGRES.md "The spend log"): :rows spend rows over :days UTC
-- days from :start, one transaction per hour of data (so the rows carry :days * 24 txids, as a
-- settle writer's commits would give them, though far fewer), in end-time order. Distributions:
--   * time: a working-day curve (the 14:00 UTC hour about 5x the 02:00 one), weekends at half;
--   * 5,000 keys, Zipf-like (key k drawn as 5000 * u^3: the top 1% of keys make ~20% of requests);
--     each key of one of 1,500 users, each user of one of 60 teams; 1 key in 20 has neither;
--   * 12 models, the cheap ones drawn more (12 * u^2), each with its own input/output price;
--   * tokens heavy-tailed (input 200 + 30,000 u^3, output 20 + 2,000 u^2, 30% with cache reads),
--     cost = tokens x the model's price in nano-USD; 2% errors (no usage, cost 0), 1% cancelled;
--   * ids as wide as the gateway's (reservation uuid, 38-character request id).
-- Deterministic apart from the uuids (setseed).
DO $gen$
DECLARE
  total float8;
  hr int;
  n int;
  wt float8;
  hour_start timestamptz;
BEGIN
  PERFORM setseed(0.21);
  CREATE TEMP TABLE bench_keys AS
    SELECT k, 'sk-' || substr(md5('key' || k), 1, 24) AS key_id,
      CASE WHEN k % 20 <> 19 THEN 'user-' || substr(md5('user' || k % 1500), 1, 16) END AS user_id,
      CASE WHEN k % 20 <> 19 THEN 'team-' || substr(md5('team' || k % 1500 % 60), 1, 10) END
        AS team_id
    FROM generate_series(0, 4999) k;
  CREATE TEMP TABLE bench_models AS
    SELECT m - 1 AS m, name, 'bedrock-' || name AS deployment, pin, pout FROM unnest(
      ARRAY['claude-haiku-4-5', 'nova-micro', 'nova-lite', 'llama-3-3-70b', 'mistral-large',
        'claude-sonnet-4-5', 'nova-pro', 'claude-3-5-haiku', 'deepseek-r1', 'claude-opus-4-1',
        'titan-text', 'claude-sonnet-4'],
      ARRAY[1000, 35, 60, 720, 2000, 3000, 800, 800, 1350, 15000, 150, 3000],
      ARRAY[5000, 140, 240, 720, 6000, 15000, 3200, 4000, 5400, 75000, 600, 15000])
      WITH ORDINALITY AS t(name, pin, pout, m);
  CREATE TEMP TABLE bench_hours AS
    SELECT x.hr AS h, (1.2 + sin(2 * pi() * ((x.hr % 24) - 8) / 24))
        * CASE WHEN extract(isodow FROM :start::timestamptz + x.hr * interval '1 hour') >= 6
          THEN 0.5 ELSE 1 END AS w
    FROM generate_series(0, :days * 24 - 1) x(hr);
  SELECT sum(b.w) INTO total FROM bench_hours b;
  FOR hr, wt IN SELECT b.h, b.w FROM bench_hours b ORDER BY b.h LOOP
    n := round(:rows * wt / total);
    hour_start := :start::timestamptz + hr * interval '1 hour';
    INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,
        deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
        usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)
      SELECT 'res-' || gen_random_uuid(), 'chatcmpl-' || substr(md5(random()::text), 1, 29),
        k.key_id, k.user_id, k.team_id, m.name, m.deployment,
        CASE WHEN g.ok THEN g.inp END, CASE WHEN g.ok THEN g.outp END,
        CASE WHEN g.ok THEN g.cr END, CASE WHEN g.ok THEN 0 END,
        CASE WHEN g.ok THEN 'REPORTED' END,
        CASE WHEN g.ok THEN g.inp * m.pin + g.outp * m.pout + g.cr * m.pin / 10 ELSE 0 END,
        CASE WHEN g.ok AND g.s >= 0.03 THEN 'SUCCESS' WHEN g.ok THEN 'CANCELLED' ELSE 'ERROR' END,
        CASE WHEN NOT g.ok THEN 'upstream_error' END,
        g.lat, g.ts - g.lat * interval '1 millisecond', g.ts
      FROM (SELECT hour_start + (i - 1 + random()) * (interval '1 hour' / n) AS ts,
          floor(5000 * random() ^ 3)::int AS kk, floor(12 * random() ^ 2)::int AS mm,
          x.s, x.s >= 0.02 AS ok,
          200 + floor(30000 * random() ^ 3)::bigint AS inp,
          20 + floor(2000 * random() ^ 2)::bigint AS outp,
          CASE WHEN random() < 0.3 THEN floor(4000 * random())::bigint ELSE 0 END AS cr,
          150 + floor(20000 * random() ^ 2)::bigint AS lat
        FROM generate_series(1, n) i, LATERAL (SELECT random() + 0 * i AS s OFFSET 0) x) g
      JOIN bench_keys k ON k.k = g.kk JOIN bench_models m ON m.m = g.mm
      ORDER BY g.ts;
    COMMIT;
  END LOOP;
  DROP TABLE bench_keys, bench_models, bench_hours;
END
$gen$;
