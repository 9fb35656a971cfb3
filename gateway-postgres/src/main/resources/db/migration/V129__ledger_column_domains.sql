-- The per-request reservation path's column checks as domains (issue 18, docs/PERFORMANCE.md
-- "Thirteenth session: the reservation path's PostgreSQL CPU"). Same rules, same SQLSTATE (23514).
--
-- Why: PostgreSQL 16 reads every CHECK constraint of a table from its stored node text
-- (stringToNode) and plans it (expression_planner) once per statement that inserts or updates the
-- table: ExecRelCheck builds them per ResultRelInfo, that is per executor run. The reserve writes
-- reservations (5 checks) and budget_counters (8) in every request, the settle both again per
-- batch; profiled with perf, that was 15 % of a reserving backend's CPU. A domain's checks are
-- read and planned once per backend (the type cache) and only the columns a statement assigns
-- are checked, so each statement compiles the already-planned expressions of the columns it
-- writes and nothing else.
--
-- How, without rewriting either table: the domains are created without constraints, so that
-- ALTER COLUMN ... TYPE is binary-coercible (no rewrite, the indexes kept); ALTER DOMAIN ... ADD
-- CONSTRAINT then checks every existing value (a scan, not a rewrite); the table checks go last.
-- The alert trigger's WHEN clause names three of the columns, which blocks ALTER COLUMN TYPE: it
-- is dropped and created again, unchanged (V117). reservations_check (expires_at > created_at)
-- names two columns and stays a table check.

CREATE DOMAIN ledger_nanos AS bigint;
CREATE DOMAIN ledger_scope_kind AS text;
CREATE DOMAIN ledger_id AS text;
CREATE DOMAIN ledger_time_window AS text;
CREATE DOMAIN ledger_period AS text;
CREATE DOMAIN ledger_reservation_state AS text;

DROP TRIGGER budget_counters_alert ON budget_counters;

ALTER TABLE budget_counters
  ALTER COLUMN scope_kind TYPE ledger_scope_kind,
  ALTER COLUMN scope_id TYPE ledger_id,
  ALTER COLUMN time_window TYPE ledger_time_window,
  ALTER COLUMN period TYPE ledger_period,
  ALTER COLUMN committed_nanos TYPE ledger_nanos,
  ALTER COLUMN reserved_nanos TYPE ledger_nanos,
  ALTER COLUMN limit_nanos TYPE ledger_nanos,
  ALTER COLUMN alert_at_nanos TYPE ledger_nanos;

ALTER TABLE reservations
  ALTER COLUMN id TYPE ledger_id,
  ALTER COLUMN amount_nanos TYPE ledger_nanos,
  ALTER COLUMN state TYPE ledger_reservation_state,
  ALTER COLUMN drawn_nanos TYPE ledger_nanos;

CREATE TRIGGER budget_counters_alert
  BEFORE UPDATE ON budget_counters
  FOR EACH ROW
  WHEN ((NEW.committed_nanos <> OLD.committed_nanos AND NEW.committed_nanos >= NEW.alert_at_nanos)
    OR NEW.limit_nanos <> OLD.limit_nanos)
  EXECUTE FUNCTION budget_counters_alert();

-- The rules of V1's table checks, word for word (NULL passes, as it passed a table check).
ALTER DOMAIN ledger_nanos ADD CONSTRAINT ledger_nanos_check CHECK (VALUE >= 0);
ALTER DOMAIN ledger_scope_kind ADD CONSTRAINT ledger_scope_kind_check
  CHECK (VALUE IN ('TEAM', 'USER', 'KEY'));
ALTER DOMAIN ledger_id ADD CONSTRAINT ledger_id_check
  CHECK (char_length(VALUE) >= 1 AND char_length(VALUE) <= 256);
ALTER DOMAIN ledger_time_window ADD CONSTRAINT ledger_time_window_check
  CHECK (VALUE IN ('DAILY', 'MONTHLY'));
ALTER DOMAIN ledger_period ADD CONSTRAINT ledger_period_check
  CHECK (char_length(VALUE) >= 1 AND char_length(VALUE) <= 100);
ALTER DOMAIN ledger_reservation_state ADD CONSTRAINT ledger_reservation_state_check
  CHECK (VALUE IN ('held', 'settled', 'expired'));

ALTER TABLE budget_counters
  DROP CONSTRAINT budget_counters_scope_kind_check,
  DROP CONSTRAINT budget_counters_scope_id_check,
  DROP CONSTRAINT budget_counters_time_window_check,
  DROP CONSTRAINT budget_counters_period_check,
  DROP CONSTRAINT budget_counters_committed_nanos_check,
  DROP CONSTRAINT budget_counters_reserved_nanos_check,
  DROP CONSTRAINT budget_counters_limit_nanos_check,
  DROP CONSTRAINT budget_counters_alert_at_nanos_check;

ALTER TABLE reservations
  DROP CONSTRAINT reservations_id_check,
  DROP CONSTRAINT reservations_amount_nanos_check,
  DROP CONSTRAINT reservations_state_check,
  DROP CONSTRAINT reservations_drawn_nanos_check;

-- ALTER COLUMN TYPE dropped these columns' statistics; the settle's generic plans read them.
ANALYZE budget_counters;
ANALYZE reservations;
