-- spend_log's single-column checks as domains, as V129 did for the reservation path (docs/
-- PERFORMANCE.md "Fourteenth session: spend_log's checks as domains"). Same rules, same SQLSTATE
-- (23514); the one check over two columns (input_tokens and usage_source null together) stays a
-- table check.
--
-- Why: PostgreSQL 16 reads each CHECK constraint of a table from its node text and plans it once
-- per statement that writes the table (V129's header); spend_log had 16, and every settle inserts
-- into it. A domain's checks are planned once per backend.
--
-- How, without rewriting a partition or rebuilding an index (spend_log may hold 10M+ rows):
--   * the domains are created without constraints, so that the type change is binary-coercible
--     and no partition is rewritten (as V129);
--   * ALTER COLUMN TYPE on the partitioned table itself would still rebuild every partition's
--     indexes on the altered columns: it drops and re-creates the partitioned index, and the
--     partitions' indexes are created again with it (measured on PostgreSQL 16: key, user, team and
--     request indexes got new relfilenodes in every partition). On a plain table the old index is
--     kept when the new one is compatible. So every partition is detached, altered alone (its
--     indexes kept), the parent altered with no partition attached (its indexes have no storage),
--     and the partitions attached again: ATTACH adopts each partition's existing indexes as the
--     parent's index partitions and scans the partition once to check its bound, default last
--     (attached before, the default would be scanned again at every other ATTACH);
--   * the table checks go first, so that ALTER COLUMN TYPE has none to re-create and re-check
--     (a scan per partition); the two-column check is added again afterwards;
--   * the domain constraints and the two-column check are added NOT VALID: every existing row
--     passed the same rules as table checks, dropped in this transaction under the same lock, so
--     checking them again would be a scan of every partition per domain for nothing. NOT VALID
--     constraints are enforced on every row written after, exactly as valid ones.
-- Nothing else depends on the column types: no view, rule or trigger reads spend_log; the
-- functions that name its row type (jsonb_populate_record[set](NULL::spend_log, ...), V116) get
-- the domains and check the values there, with the same SQLSTATE.

CREATE DOMAIN spend_count AS bigint;
CREATE DOMAIN spend_name AS text;
CREATE DOMAIN spend_text AS text;
CREATE DOMAIN spend_usage_source AS text;
CREATE DOMAIN spend_status AS text;

-- The table checks: 15 over one column, 1 over two (V123; their names carry a suffix there).
DO $$
DECLARE
  c record;
  singles int := 0;
  pairs int := 0;
BEGIN
  FOR c IN SELECT conname, cardinality(conkey) AS cols FROM pg_constraint
      WHERE conrelid = 'spend_log'::regclass AND contype = 'c' LOOP
    EXECUTE format('ALTER TABLE spend_log DROP CONSTRAINT %I', c.conname);
    singles := singles + (c.cols = 1)::int;
    pairs := pairs + (c.cols = 2)::int;
  END LOOP;
  IF singles <> 15 OR pairs <> 1 THEN
    RAISE EXCEPTION 'spend_log: expected 15 single-column checks and one over two columns';
  END IF;
END
$$;

DO $$
DECLARE
  types text := ' ALTER COLUMN request_id TYPE spend_name, ALTER COLUMN key_id TYPE spend_name,'
    ' ALTER COLUMN user_id TYPE spend_text, ALTER COLUMN team_id TYPE spend_text,'
    ' ALTER COLUMN model TYPE spend_name, ALTER COLUMN deployment_id TYPE spend_text,'
    ' ALTER COLUMN input_tokens TYPE spend_count, ALTER COLUMN output_tokens TYPE spend_count,'
    ' ALTER COLUMN cache_read_tokens TYPE spend_count,'
    ' ALTER COLUMN cache_write_tokens TYPE spend_count,'
    ' ALTER COLUMN usage_source TYPE spend_usage_source, ALTER COLUMN cost_nanos TYPE spend_count,'
    ' ALTER COLUMN status TYPE spend_status, ALTER COLUMN error_type TYPE spend_text,'
    ' ALTER COLUMN latency_ms TYPE spend_count';
  p record;
  parts text[] := '{}';
  bounds text[] := '{}';
BEGIN
  -- monthly partitions first, the default last (see above)
  FOR p IN SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
      WHERE h.inhparent = 'spend_log'::regclass
      ORDER BY pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.relname LOOP
    parts := parts || p.relname::text;
    bounds := bounds || p.bound;
    EXECUTE format('ALTER TABLE spend_log DETACH PARTITION %I', p.relname);
    EXECUTE format('ALTER TABLE %I', p.relname) || types;
  END LOOP;
  EXECUTE 'ALTER TABLE spend_log' || types;
  FOR i IN 1 .. cardinality(parts) LOOP
    EXECUTE format('ALTER TABLE spend_log ATTACH PARTITION %I %s', parts[i], bounds[i]);
  END LOOP;
END
$$;

-- The rules of V123's checks, word for word (NULL passes, as it passed a table check).
ALTER DOMAIN spend_count ADD CONSTRAINT spend_count_check CHECK (VALUE >= 0) NOT VALID;
ALTER DOMAIN spend_name ADD CONSTRAINT spend_name_check
  CHECK (char_length(VALUE) BETWEEN 1 AND 256) NOT VALID;
ALTER DOMAIN spend_text ADD CONSTRAINT spend_text_check
  CHECK (char_length(VALUE) <= 256) NOT VALID;
ALTER DOMAIN spend_usage_source ADD CONSTRAINT spend_usage_source_check
  CHECK (VALUE IN ('REPORTED', 'ESTIMATED')) NOT VALID;
ALTER DOMAIN spend_status ADD CONSTRAINT spend_status_check
  CHECK (VALUE IN ('SUCCESS', 'ERROR', 'CANCELLED', 'EXPIRED', 'PENDING')) NOT VALID;
ALTER TABLE spend_log ADD CONSTRAINT spend_log_usage_check
  CHECK ((input_tokens IS NULL) = (usage_source IS NULL)) NOT VALID;

-- ALTER COLUMN TYPE dropped the altered columns' statistics (a sample per partition).
ANALYZE spend_log;
