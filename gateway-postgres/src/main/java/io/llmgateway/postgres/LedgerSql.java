package io.llmgateway.postgres;

/**
 * The SQL text of {@link PostgresBudgetLedger}: its statements over the server-side ledger
 * functions (V2, V101, V103, V104) and the budget tables. Text only; the ledger binds and runs
 * them.
 */
final class LedgerSql {
  private LedgerSql() {}

  // Reserve and settle run on plain JDBC: they are the two statements of every request.
  static final String RESERVE =
      "SELECT 1 FROM ledger_reserve(?, ?, CAST(? AS timestamptz), CAST(? AS timestamptz),"
          + " CAST(? AS jsonb), ?, ?, ?, ?, ?, CAST(? AS timestamptz[]))";

  /**
   * Settles, draws on leases and releases them in one statement and one commit
   * (V104__ledger_write_batch.sql; settles as V101), one or many. Parameters: the spend rows as
   * JSON, and whether the commit waits for the WAL flush (inline {@link
   * PostgresBudgetLedger#settle}: yes; batched {@link PostgresBudgetLedger#settleAll}: no, since a
   * lost settle leaves its reservation to be charged in full).
   */
  static final String WRITE_BATCH = "SELECT ledger_write_batch(CAST(? AS jsonb), ?)";

  /**
   * Deletes ended reservations and their lines (no foreign key cascades them since V128), oldest
   * first as stored; a row another instance is deleting is skipped. Without an index on settled_at
   * (which every settle would pay for), the scan stops at the first {@code max} matches, which are
   * the oldest rows physically, and reads the whole table only when nothing is left to delete.
   * (V128's comment names it {@code PostgresBudgetLedger.PURGE_ENDED}, where it was declared then.)
   */
  static final String PURGE_ENDED =
      "WITH d AS (DELETE FROM reservations WHERE id IN (SELECT id FROM reservations WHERE state"
          + " <> 'held' AND settled_at < CAST(:before AS timestamptz) LIMIT :max FOR UPDATE SKIP"
          + " LOCKED) RETURNING id), l AS (DELETE FROM reservation_lines WHERE reservation_id IN"
          + " (SELECT id FROM d)) SELECT count(*) FROM d";

  /**
   * Expires the most overdue held reservation nobody else is working on, if any. {@code settled_at
   * IS NULL} names the sweeper's index (V130), which the settles cannot choose.
   */
  static final String EXPIRE_ONE =
      "WITH r AS (UPDATE reservations SET state = 'expired', settled_at = CAST(:now AS"
          + " timestamptz) WHERE id = (SELECT id FROM reservations WHERE settled_at IS NULL AND"
          + " state = 'held' AND expires_at < CAST(:now AS timestamptz) ORDER BY expires_at LIMIT 1"
          + " FOR UPDATE SKIP"
          + " LOCKED) RETURNING id, amount_nanos, pending),"
          + " s AS (INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id,"
          + " model, deployment_id, cost_nanos, status, error_type, latency_ms, started_at,"
          + " ended_at) SELECT r.id, r.pending->>'requestId', r.pending->>'keyId',"
          + " r.pending->>'userId', r.pending->>'teamId', r.pending->>'model',"
          + " r.pending->>'deploymentId', r.amount_nanos, 'EXPIRED', 'reservation_expired',"
          + " greatest(0, floor(extract(epoch FROM (CAST(:now AS timestamptz)"
          + " - CAST(r.pending->>'startedAt' AS timestamptz))) * 1000))::bigint,"
          + " CAST(r.pending->>'startedAt' AS timestamptz), CAST(:now AS timestamptz) FROM r)"
          + " SELECT ledger_release(r.id, r.amount_nanos, r.amount_nanos) FROM r";

  /**
   * What held leases hold on any of the given counters: held reservations (the sweeper's partial
   * index) whose pending row names the lease model, with a line on one of the counters.
   */
  static final String LEASED_ON =
      "SELECT coalesce(sum(r.amount_nanos), 0) FROM reservations r WHERE r.settled_at IS NULL"
          + " AND r.state = 'held' AND"
          + " r.pending->>'model' = ? AND EXISTS (SELECT 1 FROM reservation_lines l JOIN"
          + " unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))"
          + " AS c(kind, id, win, period) ON l.scope_kind = c.kind AND l.scope_id = c.id AND"
          + " l.time_window = c.win AND l.period = c.period WHERE l.reservation_id = r.id)";

  static final String BALANCE =
      "SELECT committed_nanos, reserved_nanos FROM budget_counters WHERE scope_kind = :kind AND"
          + " scope_id = :id AND time_window = :window AND period = :period";
}
