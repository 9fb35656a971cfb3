package io.llmgateway.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The database's budget time zone ({@code gateway_settings.budget_timezone}, V107): claimed by the
 * first instance, checked by every later one, changed only deliberately. Each operation is one
 * transaction on the connection given (its auto-commit is restored). Stateless.
 */
final class BudgetZoneSetting {
  /** Separates a period key from its zone in stored counters: {@code 2026-12-05@UTC}. */
  static final String SEPARATOR = "@";

  /** What the gateway's pool calls its connections (PostgresAdapters), seen in pg_stat_activity. */
  static final String GATEWAY_APPLICATION = "llm-gateway";

  private BudgetZoneSetting() {}

  /**
   * Stores {@code proposed} if the database has no zone yet (and stamps periods written before V107
   * with it), and returns the database's zone. The row is read {@code FOR SHARE}, so a start
   * concurrent with {@link #change} waits for it and sees the new zone.
   */
  static ZoneId claim(Connection c, ZoneId proposed) throws SQLException {
    return inTransaction(
        c,
        () -> {
          insertIfAbsent(c, proposed);
          return read(c, " FOR SHARE").orElseThrow();
        });
  }

  /** The database's zone, if an instance has claimed one. */
  static Optional<ZoneId> read(Connection c) throws SQLException {
    return read(c, "");
  }

  /**
   * Sets the database's zone to {@code zone} and returns the previous one (empty if none). Refuses,
   * changing nothing, while other gateway connections are open: a running instance keeps the zone
   * it started with, and two zones at once would grant two days.
   *
   * @throws IllegalStateException naming how many gateway connections are open
   */
  static Optional<ZoneId> change(Connection c, ZoneId zone) throws SQLException {
    return inTransaction(
        c,
        () -> {
          // Locked first: an instance starting from now on waits in claim() and reads the new
          // zone; one already started has its connections open and is counted below.
          Optional<ZoneId> previous = read(c, " FOR UPDATE");
          int others = gatewayConnections(c);
          if (others > 0) {
            throw new IllegalStateException(
                others
                    + " gateway database connection(s) are open: stop every gateway instance"
                    + " (and other gateway-admin commands) before changing the budget time zone");
          }
          if (previous.isEmpty()) {
            insertIfAbsent(c, zone);
          } else {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE gateway_settings SET budget_timezone = ?, updated_at = now()")) {
              ps.setString(1, zone.getId());
              ps.executeUpdate();
            }
            if (!same(previous.get(), zone)) {
              rebuildRollups(c, previous.get());
            }
          }
          return previous;
        });
  }

  /**
   * Whether two zones define the same calendar days ({@code UTC}, {@code Z} and {@code Etc/UTC}).
   */
  static boolean same(ZoneId a, ZoneId b) {
    return a.normalized().equals(b.normalized());
  }

  /** The counter period key as stored: the key and the zone it was computed in. */
  static String stamp(String period, String zoneId) {
    return period + SEPARATOR + zoneId;
  }

  /**
   * The first zone stored also stamps the periods written before V107: they were counted in the
   * zone the instances were configured with, which is the one the first upgraded instance brings.
   */
  private static void insertIfAbsent(Connection c, ZoneId zone) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO gateway_settings (budget_timezone) VALUES (?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, zone.getId());
      if (ps.executeUpdate() == 1) {
        stampLegacyPeriods(c, zone);
        if (!same(zone, ZoneOffset.UTC)) {
          rebuildRollups(c, ZoneOffset.UTC); // rolled on UTC days while no zone was stored
        }
      }
    }
  }

  /**
   * The daily spend rollups hold the stored zone's calendar days (V127): re-rolled from the spend
   * log in this transaction, so no instance reads rollups of another zone's days (what they hold of
   * months retention dropped stays on {@code old}'s days). Rows committed meanwhile are the next
   * rollup run's tail (reports read them from spend_log until then).
   */
  private static void rebuildRollups(Connection c, ZoneId old) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT spend_rollup_rebuild(?)")) {
      ps.setString(1, old.getId());
      ps.executeQuery().close();
    }
  }

  private static void stampLegacyPeriods(Connection c, ZoneId zone) throws SQLException {
    for (String table : new String[] {"budget_counters", "reservation_lines"}) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE " + table + " SET period = period || ? || ? WHERE strpos(period, ?) = 0")) {
        ps.setString(1, SEPARATOR);
        ps.setString(2, zone.getId());
        ps.setString(3, SEPARATOR);
        ps.executeUpdate();
      }
    }
  }

  private static int gatewayConnections(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, GATEWAY_APPLICATION);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Optional<ZoneId> read(Connection c, String lock) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT budget_timezone FROM gateway_settings" + lock);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      String id = rs.getString(1);
      try {
        return Optional.of(ZoneId.of(id));
      } catch (DateTimeException e) {
        throw new IllegalStateException(
            "the database's budget time zone '" + id + "' is unknown to this Java runtime", e);
      }
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
