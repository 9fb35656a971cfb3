-- Temporary budget increases (issue 19; LiteLLM's temp_budget_increase + temp_budget_expiry), one per
-- key, user and team: while now < temp_budget_expiry, every budget window of that scope (a team:
-- its team-wide caps) is raised by temp_budget_increase_nanos. The limit itself is computed in
-- gateway-core (BudgetPlan) and handed to the ledger with each reservation, like every limit; the
-- database only stores the setting. Both columns are set together or not at all.
ALTER TABLE virtual_keys
  ADD COLUMN temp_budget_increase_nanos bigint CHECK (temp_budget_increase_nanos > 0),
  ADD COLUMN temp_budget_expiry timestamptz,
  ADD CONSTRAINT virtual_keys_temp_budget_pair
    CHECK ((temp_budget_increase_nanos IS NULL) = (temp_budget_expiry IS NULL));
ALTER TABLE users
  ADD COLUMN temp_budget_increase_nanos bigint CHECK (temp_budget_increase_nanos > 0),
  ADD COLUMN temp_budget_expiry timestamptz,
  ADD CONSTRAINT users_temp_budget_pair
    CHECK ((temp_budget_increase_nanos IS NULL) = (temp_budget_expiry IS NULL));
ALTER TABLE teams
  ADD COLUMN temp_budget_increase_nanos bigint CHECK (temp_budget_increase_nanos > 0),
  ADD COLUMN temp_budget_expiry timestamptz,
  ADD CONSTRAINT teams_temp_budget_pair
    CHECK ((temp_budget_increase_nanos IS NULL) = (temp_budget_expiry IS NULL));
