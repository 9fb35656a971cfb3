-- Budget alerts (issue 19): thresholds, and an outbox written where spend is committed.
--
-- A threshold crossing is detected by a trigger on budget_counters, in the transaction that moves
-- committed_nanos: every path that charges (settle, lease draw, the sweeper's expiry, a lease
-- release charging lost draws, a mid-period seed) goes through that row, so one place covers them
-- all, and the alert row commits or rolls back with the charge. The counter row is locked by the
-- update, so two transactions never evaluate the same counter at once, and alert_outbox's unique key
-- records each (scope, window, period, threshold) at most once (ON CONFLICT DO NOTHING): a crossing
-- can never be recorded twice, whichever instance or retry charged it.
--
-- Cost on the hot path: the trigger's WHEN clause compares committed_nanos with alert_at_nanos, a
-- column of the counter itself (the committed amount of its next threshold), so a charge that
-- crosses nothing never calls the function (docs/ALERTS.md has the measurement). alert_at_nanos is
-- 0 for "not evaluated yet" (a new counter, a changed limit, changed thresholds: evaluated at its
-- next charge) and NULL for "nothing left to alert in this period".

-- Thresholds. GLOBAL '*' is the default for every scope; a TEAM row is also the default for its
-- members' USER counters and its keys' KEY counters (a tier is a team). fractions_bp are fractions
-- of the counter's limit in basis points (0.8 = 8000); NULL inherits (team, then global), '{}' is
-- "none". soft_*_nanos are LiteLLM's soft_budget: an absolute alert-only amount for that window,
-- of the row's own scope only.
CREATE TABLE alert_thresholds (
  scope_kind          text        NOT NULL CHECK (scope_kind IN ('GLOBAL', 'TEAM', 'USER', 'KEY')),
  scope_id            text        NOT NULL CHECK (char_length(scope_id) BETWEEN 1 AND 256),
  fractions_bp        int[]       CHECK (cardinality(fractions_bp) <= 16
                                         AND 0 < ALL (fractions_bp) AND 10000 >= ALL (fractions_bp)),
  soft_daily_nanos    bigint      CHECK (soft_daily_nanos >= 0),
  soft_monthly_nanos  bigint      CHECK (soft_monthly_nanos >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope_kind, scope_id)
);
INSERT INTO alert_thresholds (scope_kind, scope_id, fractions_bp) VALUES ('GLOBAL', '*', '{}');

CREATE TABLE alert_outbox (
  id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope_kind          text        NOT NULL CHECK (scope_kind IN ('TEAM', 'USER', 'KEY')),
  scope_id            text        NOT NULL CHECK (char_length(scope_id) BETWEEN 1 AND 256),
  time_window         text        NOT NULL CHECK (time_window IN ('DAILY', 'MONTHLY')),
  period              text        NOT NULL CHECK (char_length(period) BETWEEN 1 AND 100),
  -- 'fraction': threshold_value is basis points of the limit; 'soft': nano-USD
  threshold_kind      text        NOT NULL CHECK (threshold_kind IN ('fraction', 'soft')),
  threshold_value     bigint      NOT NULL CHECK (threshold_value > 0),
  committed_nanos     bigint      NOT NULL CHECK (committed_nanos >= 0),
  limit_nanos         bigint      NOT NULL CHECK (limit_nanos >= 0),
  resets_at           timestamptz NOT NULL,
  crossed_at          timestamptz NOT NULL DEFAULT now(),
  state               text        NOT NULL DEFAULT 'pending'
                                  CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts            int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- retries are bounded from the first attempt, not from the crossing: alerts recorded while no
  -- deliverer ran still get their full retry time
  first_attempt_at    timestamptz,
  -- due time; a claim moves it forward by the claim's lease, so a crashed deliverer's row comes
  -- back by itself
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  delivered_channels  text[]      NOT NULL DEFAULT '{}',
  last_error          text        CHECK (char_length(last_error) <= 512),
  finished_at         timestamptz,
  UNIQUE (scope_kind, scope_id, time_window, period, threshold_kind, threshold_value)
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alert_outbox_recent ON alert_outbox (crossed_at DESC);

ALTER TABLE budget_counters
  ADD COLUMN alert_at_nanos bigint DEFAULT 0 CHECK (alert_at_nanos >= 0);

-- Called only when committed reached alert_at_nanos (or the limit changed): records every
-- threshold committed has reached, and sets alert_at_nanos to the next one.
CREATE FUNCTION budget_counters_alert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_row alert_thresholds%ROWTYPE;
  v_fractions int[];
  v_team text;
  v_soft bigint;
  v_next bigint := NULL;
  v_amount bigint;
  v_bp int;
BEGIN
  IF NEW.committed_nanos = OLD.committed_nanos THEN
    -- only the limit changed (a reserve carries the latest limit): evaluate at the next charge
    NEW.alert_at_nanos := 0;
    RETURN NEW;
  END IF;
  IF NEW.limit_nanos = 0 THEN
    NEW.alert_at_nanos := NULL;
    RETURN NEW;
  END IF;
  -- the counter's own fractions, else its team's (members and team keys), else the global ones;
  -- a soft budget is the scope's own
  SELECT * INTO v_row FROM alert_thresholds WHERE scope_kind = NEW.scope_kind AND scope_id = NEW.scope_id;
  v_soft := CASE NEW.time_window WHEN 'DAILY' THEN v_row.soft_daily_nanos ELSE v_row.soft_monthly_nanos END;
  v_fractions := v_row.fractions_bp;
  IF v_fractions IS NULL THEN
    IF NEW.scope_kind = 'USER' THEN
      SELECT team_id INTO v_team FROM team_members WHERE user_id = NEW.scope_id;
    ELSIF NEW.scope_kind = 'KEY' THEN
      SELECT team_id INTO v_team FROM virtual_keys WHERE id = NEW.scope_id;
    END IF;
    IF v_team IS NOT NULL THEN
      SELECT fractions_bp INTO v_fractions FROM alert_thresholds
        WHERE scope_kind = 'TEAM' AND scope_id = v_team;
    END IF;
    IF v_fractions IS NULL THEN
      SELECT fractions_bp INTO v_fractions FROM alert_thresholds
        WHERE scope_kind = 'GLOBAL' AND scope_id = '*';
    END IF;
  END IF;

  FOREACH v_bp IN ARRAY coalesce(v_fractions, '{}') LOOP
    v_amount := ceil(NEW.limit_nanos::numeric * v_bp / 10000)::bigint;
    IF NEW.committed_nanos >= v_amount THEN
      INSERT INTO alert_outbox (scope_kind, scope_id, time_window, period, threshold_kind,
          threshold_value, committed_nanos, limit_nanos, resets_at)
        VALUES (NEW.scope_kind, NEW.scope_id, NEW.time_window, NEW.period, 'fraction', v_bp,
          NEW.committed_nanos, NEW.limit_nanos, NEW.resets_at)
        ON CONFLICT DO NOTHING;
    ELSIF v_next IS NULL OR v_amount < v_next THEN
      v_next := v_amount;
    END IF;
  END LOOP;
  IF v_soft > 0 THEN
    IF NEW.committed_nanos >= v_soft THEN
      INSERT INTO alert_outbox (scope_kind, scope_id, time_window, period, threshold_kind,
          threshold_value, committed_nanos, limit_nanos, resets_at)
        VALUES (NEW.scope_kind, NEW.scope_id, NEW.time_window, NEW.period, 'soft', v_soft,
          NEW.committed_nanos, NEW.limit_nanos, NEW.resets_at)
        ON CONFLICT DO NOTHING;
    ELSIF v_next IS NULL OR v_soft < v_next THEN
      v_next := v_soft;
    END IF;
  END IF;
  NEW.alert_at_nanos := v_next;
  RETURN NEW;
END
$$;

CREATE TRIGGER budget_counters_alert
  BEFORE UPDATE ON budget_counters
  FOR EACH ROW
  WHEN ((NEW.committed_nanos <> OLD.committed_nanos AND NEW.committed_nanos >= NEW.alert_at_nanos)
        OR NEW.limit_nanos <> OLD.limit_nanos)
  EXECUTE FUNCTION budget_counters_alert();

-- After thresholds change: every counter of a current period is evaluated again at its next charge
-- (already recorded thresholds stay recorded). Counters are locked in the ledger's lock order so
-- this cannot deadlock with a reserve or settle batch.
CREATE FUNCTION alert_thresholds_changed() RETURNS void LANGUAGE sql AS $$
  UPDATE budget_counters c SET alert_at_nanos = 0
    FROM (SELECT scope_kind, scope_id, time_window, period FROM budget_counters
            WHERE resets_at > now() AND alert_at_nanos IS DISTINCT FROM 0
            ORDER BY CASE scope_kind WHEN 'TEAM' THEN 0 WHEN 'USER' THEN 1 ELSE 2 END,
                     scope_id COLLATE "C", time_window COLLATE "C", period COLLATE "C"
            FOR UPDATE) l
    WHERE (c.scope_kind, c.scope_id, c.time_window, c.period)
        = (l.scope_kind, l.scope_id, l.time_window, l.period);
$$;
