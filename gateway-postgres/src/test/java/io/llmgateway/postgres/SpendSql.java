package io.llmgateway.postgres;

import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * What the spend-log and rollup tests share: a database at an older migration, and the reads they
 * compare (one value, or a query's rows as a sorted map).
 */
final class SpendSql {
  private SpendSql() {}

  /** A fresh database migrated up to {@code version} only (a database an older build left). */
  static DatabaseConfig databaseAt(String version) {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    Flyway.configure()
        .dataSource(config.jdbcUrl(), config.username(), config.password())
        .locations("classpath:db/migration")
        .target(MigrationVersion.fromVersion(version))
        .load()
        .migrate();
    return config;
  }

  /** The first column of the first row of {@code sql}. */
  static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The rows of {@code sql}, its first column mapped to its second. */
  static Map<String, String> map(Statement s, String sql) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /** The rows of {@code sql}, its first column mapped to its second, a number. */
  static Map<String, Long> longs(Statement s, String sql) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  /**
   * {@code table}'s sums by day and {@code columns} (requests, input, output, cache-read tokens,
   * cost), each group's key prefixed by {@code name}: the shape every rollup table has, and that
   * spend_log grouped the same way must equal.
   */
  static Map<String, String> sums(Statement s, String name, String table, String columns)
      throws SQLException {
    return map(
        s,
        "SELECT '"
            + name
            + "' || '|' || concat_ws('|', day, "
            + columns
            + "), sum(requests) || '/' || sum(input_tokens) || '/' || sum(output_tokens)"
            + " || '/' || sum(cache_read_tokens) || '/' || sum(cost_nanos) FROM "
            + table
            + " GROUP BY day, "
            + columns);
  }
}
