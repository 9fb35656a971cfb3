-- Admin UI sessions and failed sign-ins, shared by every gateway instance (docs/UI.md).
-- Only the SHA-256 of a session id is stored: a dump of this table cannot be replayed as cookies.
CREATE TABLE ui_sessions (
  id_hash     char(64)    PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  username    text        NOT NULL CHECK (char_length(username) BETWEEN 1 AND 256),
  csrf_token  text        NOT NULL CHECK (char_length(csrf_token) BETWEEN 16 AND 256),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX ui_sessions_expires ON ui_sessions (expires_at);
CREATE INDEX ui_sessions_username ON ui_sessions (username);

-- One row per failed sign-in; the subject is a hash of user name and client address, so throttling
-- (N failures per window) holds across instances without storing what was typed.
CREATE TABLE ui_login_failures (
  seq      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject  text        NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 128),
  at       timestamptz NOT NULL
);
CREATE INDEX ui_login_failures_subject ON ui_login_failures (subject, at);
CREATE INDEX ui_login_failures_at ON ui_login_failures (at);
