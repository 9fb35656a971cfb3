-- The admin UI's named operators (issue 16): a person's sign-in name (e-mail or user name, stored
-- lower case) and the role a proxy admin gave them. Single sign-on consults this list before its
-- groups mapping; the break-glass operator (GATEWAY_UI_ADMIN_USER) is not in it. Members are not
-- operators (they sign in as their gateway user), so the role excludes 'member'.
CREATE TABLE ui_operators (
  name text PRIMARY KEY CHECK (name = lower(name) AND length(name) BETWEEN 1 AND 256),
  grant_role text NOT NULL CHECK (grant_role IN ('proxy_admin', 'viewer', 'team_admin')),
  grant_teams text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT ui_operators_grant_shape CHECK ((grant_role = 'team_admin') = (cardinality(grant_teams) > 0))
);

-- Ending a changed operator's sessions looks them up by name, case-insensitively.
CREATE INDEX ui_sessions_username_lower ON ui_sessions (lower(username));
