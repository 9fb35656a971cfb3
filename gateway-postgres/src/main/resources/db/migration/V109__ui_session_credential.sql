-- A UI session is bound to the operator account and password hash it was made with (issue 15,
-- finding 10): `credential` is the SHA-256 of both, and a session whose credential differs from the
-- instance's configuration is refused, and deleted when an instance starts with a new one.
-- Sessions from before this migration were not bound: they end (the operator signs in once more).
DELETE FROM ui_sessions;
ALTER TABLE ui_sessions
  ADD COLUMN credential char(64) NOT NULL CHECK (credential ~ '^[0-9a-f]{64}$');
