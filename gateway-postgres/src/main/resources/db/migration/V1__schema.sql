-- The gateway's whole state. Money is bigint nano-USD (1 USD = 10^9) and never negative: every
-- *_nanos column carries a CHECK (... >= 0); a test enforces that.
-- Text lengths are bounded in the schema too, so oversized input is a clean constraint error.

CREATE TABLE teams (
  id            text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 128),
  alias         text        NOT NULL UNIQUE CHECK (char_length(alias) BETWEEN 1 AND 256),
  tier          text        CHECK (char_length(tier) <= 256),
  models        text[]      NOT NULL DEFAULT '{}',
  rpm           bigint      CHECK (rpm > 0),
  tpm           bigint      CHECK (tpm > 0),
  max_parallel  bigint      CHECK (max_parallel > 0),
  blocked       boolean     NOT NULL DEFAULT false,
  metadata      jsonb       NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE users (
  id            text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 128),
  email         text        UNIQUE CHECK (char_length(email) BETWEEN 1 AND 256),
  alias         text        CHECK (char_length(alias) BETWEEN 1 AND 256),
  role          text        NOT NULL CHECK (role IN ('PROXY_ADMIN', 'INTERNAL_USER', 'INTERNAL_USER_VIEWER')),
  models        text[]      NOT NULL DEFAULT '{}',
  rpm           bigint      CHECK (rpm > 0),
  tpm           bigint      CHECK (tpm > 0),
  max_parallel  bigint      CHECK (max_parallel > 0),
  metadata      jsonb       NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

-- A user belongs to at most one team (primary key on user_id). ON DELETE RESTRICT on the team makes
-- "delete a team that still has members" a constraint error the store reports as a conflict.
CREATE TABLE team_members (
  user_id    text        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  team_id    text        NOT NULL REFERENCES teams (id) ON DELETE RESTRICT,
  joined_at  timestamptz NOT NULL
);
CREATE INDEX team_members_team ON team_members (team_id);

CREATE TABLE virtual_keys (
  id              text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 128),
  key_hash        text        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  display_prefix  text        NOT NULL CHECK (char_length(display_prefix) <= 32),
  alias           text        UNIQUE CHECK (char_length(alias) BETWEEN 1 AND 256),
  user_id         text        REFERENCES users (id) ON DELETE RESTRICT,
  team_id         text        REFERENCES teams (id) ON DELETE RESTRICT,
  role            text        NOT NULL CHECK (role IN ('LLM_API', 'TEAM_ADMIN', 'PROXY_ADMIN')),
  status          text        NOT NULL CHECK (status IN ('active', 'blocked')),
  models          text[]      NOT NULL DEFAULT '{}',
  rpm             bigint      CHECK (rpm > 0),
  tpm             bigint      CHECK (tpm > 0),
  max_parallel    bigint      CHECK (max_parallel > 0),
  expires_at      timestamptz,
  previous_hash   text        CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
  grace_until     timestamptz,
  metadata        jsonb       NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CHECK ((previous_hash IS NULL) = (grace_until IS NULL))
);
CREATE INDEX virtual_keys_previous_hash ON virtual_keys (previous_hash) WHERE previous_hash IS NOT NULL;
CREATE INDEX virtual_keys_user ON virtual_keys (user_id);
CREATE INDEX virtual_keys_team ON virtual_keys (team_id);

-- Budgets configured on a scope: owner_kind 'team' (team-wide cap), 'team_member' (each member of
-- the team), 'user' (per-user override) or 'key'. One limit per owner and window.
CREATE TABLE budgets (
  owner_kind   text   NOT NULL CHECK (owner_kind IN ('team', 'team_member', 'user', 'key')),
  owner_id     text   NOT NULL,
  time_window  text   NOT NULL CHECK (time_window IN ('DAILY', 'MONTHLY')),
  limit_nanos  bigint NOT NULL CHECK (limit_nanos >= 0),
  PRIMARY KEY (owner_kind, owner_id, time_window)
);

CREATE TABLE logical_models (
  name        text        PRIMARY KEY CHECK (char_length(name) BETWEEN 1 AND 256),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deployments (
  id                        text    PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 256),
  -- failover order within a model: insertion order, kept across updates
  ordinal                   bigint  GENERATED ALWAYS AS IDENTITY,
  model_name                text    NOT NULL REFERENCES logical_models (name) ON DELETE RESTRICT,
  provider                  text    NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 256),
  provider_model_id         text    NOT NULL CHECK (char_length(provider_model_id) BETWEEN 1 AND 256),
  region                    text    CHECK (char_length(region) <= 256),
  endpoint                  text    CHECK (char_length(endpoint) <= 2048),
  input_price_nanos         bigint  NOT NULL CHECK (input_price_nanos >= 0),
  output_price_nanos        bigint  NOT NULL CHECK (output_price_nanos >= 0),
  cache_read_price_nanos    bigint  NOT NULL CHECK (cache_read_price_nanos >= 0),
  cache_write_price_nanos   bigint  NOT NULL CHECK (cache_write_price_nanos >= 0),
  context_window            integer NOT NULL CHECK (context_window > 0),
  max_output_tokens         integer NOT NULL CHECK (max_output_tokens > 0 AND max_output_tokens <= context_window),
  source                    text    NOT NULL CHECK (source IN ('CONFIG', 'API'))
);
CREATE INDEX deployments_model ON deployments (model_name, ordinal);

-- One row per scope and window period; a new period is a new row, so nothing is ever reset.
-- limit_nanos is the limit given with the latest successful reservation (kept for reports and the
-- overshoot monitor; the admission check uses the limit passed with each request).
CREATE TABLE budget_counters (
  scope_kind       text        NOT NULL CHECK (scope_kind IN ('TEAM', 'USER', 'KEY')),
  scope_id         text        NOT NULL CHECK (char_length(scope_id) BETWEEN 1 AND 256),
  time_window      text        NOT NULL CHECK (time_window IN ('DAILY', 'MONTHLY')),
  period           text        NOT NULL CHECK (char_length(period) BETWEEN 1 AND 32),
  committed_nanos  bigint      NOT NULL DEFAULT 0 CHECK (committed_nanos >= 0),
  reserved_nanos   bigint      NOT NULL DEFAULT 0 CHECK (reserved_nanos >= 0),
  limit_nanos      bigint      NOT NULL CHECK (limit_nanos >= 0),
  resets_at        timestamptz NOT NULL,
  PRIMARY KEY (scope_kind, scope_id, time_window, period)
);

CREATE TABLE reservations (
  id            text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 256),
  amount_nanos  bigint      NOT NULL CHECK (amount_nanos >= 0),
  state         text        NOT NULL CHECK (state IN ('held', 'settled', 'expired')),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  settled_at    timestamptz,
  -- the pending spend record, written as an EXPIRED row by the sweeper if nobody settles
  pending       jsonb       NOT NULL,
  CHECK (expires_at > created_at)
);
-- The sweeper's scan: only held reservations, by deadline.
CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE state = 'held';

CREATE TABLE reservation_lines (
  reservation_id  text NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
  scope_kind      text NOT NULL,
  scope_id        text NOT NULL,
  time_window     text NOT NULL,
  period          text NOT NULL,
  -- Deliberately no foreign key to budget_counters: the check would take FOR KEY SHARE on the
  -- hottest row in the database from every concurrent reservation, turning its lock into a
  -- MultiXact and cutting throughput on a shared team budget by an order of magnitude (measured).
  -- Lines are written in the same transaction as the counter upserts, so they cannot dangle.
  PRIMARY KEY (reservation_id, scope_kind, scope_id, time_window, period)
);

-- One row per request. No foreign keys to keys/users/teams on purpose: spend history outlives the
-- identities it names (a deleted key's spend still counts in reports).
CREATE TABLE spend_log (
  id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reservation_id       text        UNIQUE,
  request_id           text        NOT NULL CHECK (char_length(request_id) BETWEEN 1 AND 256),
  key_id               text        NOT NULL CHECK (char_length(key_id) BETWEEN 1 AND 256),
  user_id              text        CHECK (char_length(user_id) <= 256),
  team_id              text        CHECK (char_length(team_id) <= 256),
  model                text        NOT NULL CHECK (char_length(model) BETWEEN 1 AND 256),
  deployment_id        text        CHECK (char_length(deployment_id) <= 256),
  input_tokens         bigint      CHECK (input_tokens >= 0),
  output_tokens        bigint      CHECK (output_tokens >= 0),
  cache_read_tokens    bigint      CHECK (cache_read_tokens >= 0),
  cache_write_tokens   bigint      CHECK (cache_write_tokens >= 0),
  usage_source         text        CHECK (usage_source IN ('REPORTED', 'ESTIMATED')),
  cost_nanos           bigint      NOT NULL CHECK (cost_nanos >= 0),
  status               text        NOT NULL CHECK (status IN ('SUCCESS', 'ERROR', 'CANCELLED', 'EXPIRED', 'PENDING')),
  error_type           text        CHECK (char_length(error_type) <= 256),
  latency_ms           bigint      NOT NULL CHECK (latency_ms >= 0),
  started_at           timestamptz NOT NULL,
  ended_at             timestamptz NOT NULL,
  CHECK ((input_tokens IS NULL) = (usage_source IS NULL))
);
CREATE INDEX spend_log_ended ON spend_log (ended_at);
CREATE INDEX spend_log_key ON spend_log (key_id, ended_at);
CREATE INDEX spend_log_user ON spend_log (user_id, ended_at);
CREATE INDEX spend_log_team ON spend_log (team_id, ended_at);
CREATE INDEX spend_log_request ON spend_log (request_id);

CREATE TABLE audit_log (
  seq          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           text        NOT NULL UNIQUE CHECK (char_length(id) BETWEEN 1 AND 256),
  at           timestamptz NOT NULL,
  actor        text        NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 256),
  action       text        NOT NULL CHECK (char_length(action) BETWEEN 1 AND 256),
  target_type  text        NOT NULL CHECK (char_length(target_type) BETWEEN 1 AND 64),
  target_id    text        NOT NULL CHECK (char_length(target_id) BETWEEN 1 AND 256),
  before       jsonb       NOT NULL DEFAULT '{}',
  after        jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target_type ON audit_log (target_type, at DESC);

-- Rate limits, shared by every instance. Fixed one-minute windows (UTC), counted per scope.
CREATE TABLE rate_windows (
  scope         text        NOT NULL CHECK (char_length(scope) BETWEEN 1 AND 512),
  minute        timestamptz NOT NULL,
  requests      bigint      NOT NULL CHECK (requests >= 0),
  tokens        bigint      NOT NULL CHECK (tokens >= 0),
  PRIMARY KEY (scope, minute)
);

-- One row per scope with a parallel limit: locked while counting its slots, so admissions of one
-- scope are serialised and the count is exact across instances.
CREATE TABLE rate_scopes (
  scope  text PRIMARY KEY CHECK (char_length(scope) BETWEEN 1 AND 512)
);

CREATE TABLE rate_permits (
  id                text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 256),
  minute            timestamptz NOT NULL,
  estimated_tokens  bigint      NOT NULL CHECK (estimated_tokens >= 0),
  expires_at        timestamptz NOT NULL,
  released          boolean     NOT NULL DEFAULT false
);
CREATE INDEX rate_permits_minute ON rate_permits (minute);

-- A held parallel slot; counts while expires_at is in the future (a dead holder's slot lapses).
CREATE TABLE rate_slots (
  permit_id   text        NOT NULL REFERENCES rate_permits (id) ON DELETE CASCADE,
  scope       text        NOT NULL REFERENCES rate_scopes (scope) ON DELETE CASCADE,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (permit_id, scope)
);
CREATE INDEX rate_slots_scope ON rate_slots (scope, expires_at);
