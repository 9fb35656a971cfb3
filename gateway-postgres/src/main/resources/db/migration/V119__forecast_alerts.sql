-- s9-alerts2: the optional "projected to exceed" alert (docs/ALERTS.md). It is recorded in the same
-- outbox with threshold_kind 'forecast' and threshold_value 10000 (100 % of the limit), so the
-- outbox's unique key (scope, window, period, kind, value) makes it at most once per scope, window
-- and period, whichever instance's scan finds it first.
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_threshold_kind_check;
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_threshold_kind_check
  CHECK (threshold_kind IN ('fraction', 'soft', 'forecast'));
