-- audit_log is append-only for the role the gateway connects as (issue 15, finding 6). The gateway
-- only INSERTs and SELECTs audit rows (PostgresAuditLog); no path updates, deletes or purges them,
-- so none may: a bug or an injected statement must not be able to rewrite who did what.
--
-- The gateway applies these migrations itself, so on RDS it connects as the role that owns the
-- tables (the master user, docs/DEPLOYMENT.md, "Database roles"). Privileges alone cannot stop an
-- owner, hence two layers:
--
-- 1. A statement trigger refuses UPDATE, DELETE and TRUNCATE (and INSERT ... ON CONFLICT DO UPDATE,
--    MERGE ... UPDATE/DELETE, which fire it too) for every role, the owner included, before any row
--    is touched. The one exception is TRUNCATE by a real superuser: a superuser can switch triggers
--    off anyway (session_replication_role), the RDS master is not one, and the test fixtures empty
--    their databases that way.
-- 2. UPDATE, DELETE and TRUNCATE are revoked on audit_log from PUBLIC, from every role holding them
--    (e.g. an application role given ALL ON ALL TABLES before this migration) and from the owner
--    itself, so the privilege catalogue says the same and a separate application role gets no more
--    than SELECT, INSERT here.
--
-- Undoing either takes DDL or a GRANT by the owner, which RDS logs (log_statement = ddl). A future
-- retention job would be such a deliberate, logged step, not something the gateway can do.

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND current_setting('is_superuser') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

DO $$
DECLARE
  holder text;
BEGIN
  FOR holder IN
    SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
      FROM pg_class c
      CROSS JOIN LATERAL aclexplode(c.relacl) a
      LEFT JOIN pg_roles r ON r.oid = a.grantee
     WHERE c.oid = 'audit_log'::regclass
       AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %s', holder);
  END LOOP;
  -- The owner's own rights are implicit until revoked (relacl is NULL before the first GRANT).
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I',
                 (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'audit_log'::regclass));
END
$$;
