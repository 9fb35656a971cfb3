-- The request log's refused requests (issue 16): chat requests answered with an error before they
-- were admitted, so they have no spend_log row. Written in batches by each instance's refusal
-- writer (sampled per key or client address and minute), trimmed by the sweeper after
-- GATEWAY_REQUEST_LOG_RETENTION_DAYS. Never a prompt, a key or a key's hash; a request with an
-- unknown key has no key_id, user_id or team_id, only the client address.
CREATE TABLE request_refusals (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  text        NOT NULL CHECK (char_length(request_id) BETWEEN 1 AND 256),
  at          timestamptz NOT NULL,
  status      smallint    NOT NULL CHECK (status BETWEEN 400 AND 599),
  reason      text        NOT NULL CHECK (reason ~ '^[a-z0-9_]{1,64}$'),
  detail      text        CHECK (char_length(detail) <= 256),
  key_id      text        CHECK (char_length(key_id) <= 256),
  user_id     text        CHECK (char_length(user_id) <= 256),
  team_id     text        CHECK (char_length(team_id) <= 256),
  model       text        CHECK (char_length(model) <= 256),
  client      text        CHECK (char_length(client) <= 256),
  latency_ms  bigint      NOT NULL CHECK (latency_ms >= 0)
);
-- The request log's filters, each with time for "newest first" and the range; "at" alone also
-- serves the sweeper's "older than the retention" deletes.
CREATE INDEX request_refusals_at ON request_refusals (at);
CREATE INDEX request_refusals_key ON request_refusals (key_id, at);
CREATE INDEX request_refusals_user ON request_refusals (user_id, at);
CREATE INDEX request_refusals_team ON request_refusals (team_id, at);
CREATE INDEX request_refusals_reason ON request_refusals (reason, at);
