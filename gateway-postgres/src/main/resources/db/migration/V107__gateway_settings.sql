-- Settings every gateway instance on this database shares. Today one: the time zone of the calendar
-- budget windows. Instances configured with different zones would each grant a full day (an
-- instance on UTC charging counter '2026-12-06' while one on America/Los_Angeles charges
-- '2026-12-05'), so the zone belongs to the database, not to each instance's environment.
--
-- The row is written by the first instance that starts (from its GATEWAY_TIMEZONE, default UTC);
-- every later start compares its configuration with it and refuses to start on a mismatch. It is
-- changed deliberately with `gateway-admin settings timezone <zone>`, which refuses while gateway
-- instances are connected (see docs/POSTGRES.md).
CREATE TABLE gateway_settings (
  -- exactly one row
  id               boolean     PRIMARY KEY DEFAULT true CHECK (id),
  budget_timezone  text        NOT NULL CHECK (char_length(budget_timezone) BETWEEN 1 AND 64),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- A counter's period names its zone: '2026-12-05@America/Los_Angeles', so a row's period is never
-- ambiguous, even across a deliberate zone change (the new zone's periods are new rows). The
-- ledger adapter appends the database's zone to the period key it is given; the SQL functions
-- (V2, V103, V104) treat the period as an opaque text, so their lock order (byte order of the
-- period within one zone) and the counters' primary key are unchanged. Periods written before this
-- migration carry no zone: the instance that first writes gateway_settings stamps them with its
-- zone in the same transaction (they were counted in the zone those instances were configured with).
ALTER TABLE budget_counters DROP CONSTRAINT budget_counters_period_check;
ALTER TABLE budget_counters
  ADD CONSTRAINT budget_counters_period_check CHECK (char_length(period) BETWEEN 1 AND 100);
