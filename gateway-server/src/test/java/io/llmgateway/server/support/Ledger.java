package io.llmgateway.server.support;

import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads of the budget tables straight from PostgreSQL, for tests that check the ledger against the
 * spend log and the upstream's bill. Every read is one statement; thread-safe.
 */
public final class Ledger {
  private Ledger() {}

  /** The spend log's total per user id. */
  public static Map<String, Long> spentByUser(Jdbi db) {
    Map<String, Long> spent = new HashMap<>();
    db.useHandle(
        h ->
            h.createQuery(
                    "SELECT user_id, sum(cost_nanos) FROM spend_log"
                        + " WHERE user_id IS NOT NULL GROUP BY user_id")
                .map((rs, ctx) -> spent.put(rs.getString(1), rs.getLong(2)))
                .list());
    return spent;
  }

  /** The spend log's total for a team. */
  public static long spentByTeam(Jdbi db, String teamId) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT coalesce(sum(cost_nanos), 0) FROM spend_log WHERE team_id = :t")
                .bind("t", teamId)
                .mapTo(Long.class)
                .one());
  }

  /** What a team's daily counters have committed (0 before the first one exists). */
  public static long teamCommitted(Jdbi db, String teamId) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT coalesce(sum(committed_nanos), 0) FROM budget_counters"
                        + " WHERE scope_kind = 'TEAM' AND scope_id = :t AND time_window = 'DAILY'")
                .bind("t", teamId)
                .mapTo(Long.class)
                .one());
  }

  /** Reservations (requests' and leases') still held. */
  public static long heldReservations(Jdbi db) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM reservations WHERE state = 'held'")
                .mapTo(Long.class)
                .one());
  }

  /**
   * Every counter holds nothing reserved and has committed exactly the spend log's total for its
   * scope (the spend rows name the key, user and team they were charged to). The test's spend falls
   * in one day and one month, so each counter's period covers all of its scope's rows.
   */
  public static void assertCountersEqualSpendLog(SoftAssertions soft, Jdbi db) {
    db.useHandle(
        h ->
            h.createQuery(
                    "SELECT c.scope_kind, c.scope_id, c.time_window, c.period,"
                        + " c.committed_nanos, c.reserved_nanos,"
                        + " (SELECT coalesce(sum(s.cost_nanos), 0) FROM spend_log s"
                        + "   WHERE CASE c.scope_kind WHEN 'TEAM' THEN s.team_id"
                        + "     WHEN 'USER' THEN s.user_id ELSE s.key_id END = c.scope_id)"
                        + " FROM budget_counters c ORDER BY 1, 2, 3")
                .map(
                    (rs, ctx) -> {
                      String counter =
                          rs.getString(1)
                              + " "
                              + rs.getString(2)
                              + " "
                              + rs.getString(3)
                              + " "
                              + rs.getString(4);
                      soft.assertThat(rs.getLong(5))
                          .as("%s committed vs its spend log", counter)
                          .isEqualTo(rs.getLong(7));
                      soft.assertThat(rs.getLong(6)).as("%s reserved", counter).isZero();
                      return counter;
                    })
                .list());
  }
}
