-- What the person behind a UI session may do (issue 16: named operators, single sign-on and
-- self-service): the role, the teams of a team admin, the gateway user of a member. Sessions from
-- before this migration were the break-glass operator's, a proxy admin.
ALTER TABLE ui_sessions
  ADD COLUMN grant_role text NOT NULL DEFAULT 'proxy_admin'
    CHECK (grant_role IN ('proxy_admin', 'viewer', 'team_admin', 'member')),
  ADD COLUMN grant_teams text[] NOT NULL DEFAULT '{}',
  ADD COLUMN grant_user text,
  ADD CONSTRAINT ui_sessions_grant_shape CHECK (
    (grant_role = 'team_admin') = (cardinality(grant_teams) > 0)
    AND (grant_role = 'member') = (grant_user IS NOT NULL));
ALTER TABLE ui_sessions ALTER COLUMN grant_role DROP DEFAULT;
