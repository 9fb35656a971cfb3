package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Only {@code db migrate} and the commands that change data migrate: a read-only command leaves the
 * schema as it finds it, says so when it is not up to date, and reports an unreachable database as
 * unreachable, not as a failed migration.
 */
class ReadOnlyNeverMigratesTest extends CommandTest {

  @Test
  void aBadJdbcUrlOnAReadOnlyCommandSaysUnreachableNotMigrate() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    cli.env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/gateway");

    var r = fails(ExitCode.INFRASTRUCTURE, "teams", "list");

    assertThat(r.err()).contains("cannot use the database").contains("cannot connect");
    assertThat(r.err().toLowerCase(java.util.Locale.ROOT)).doesNotContain("migrat");
  }

  @Test
  void aReadOnlyCommandOnAnEmptyDatabaseSaysRunDbMigrateAndLeavesTheSchemaEmpty()
      throws SQLException {
    DatabaseConfig empty = PostgresFixture.freshDatabase(1);
    cli.env.put("DATABASE_URL", CliHarness.urlOf(empty));

    for (String[] cmd :
        new String[][] {
          {"teams", "list"}, {"users", "list"}, {"keys", "list"}, {"models", "list"}
        }) {
      var r = fails(ExitCode.INFRASTRUCTURE, cmd);
      assertThat(r.err()).contains("schema not migrated").contains("gateway-admin db migrate");
    }

    assertThat(tables(empty)).isZero();
    ok("db", "migrate");
    assertThat(tables(empty)).isPositive();
    assertThat(ok("teams", "list").out()).startsWith("team_id");
  }

  @Test
  void aReadOnlyCommandOnAnOlderSchemaSaysSoAndMigratesNothing() throws SQLException {
    DatabaseConfig older = PostgresFixture.freshDatabase(1);
    cli.env.put("DATABASE_URL", CliHarness.urlOf(older));
    ok("db", "migrate");
    int before = applied(older);
    exec(older, "DELETE FROM flyway_schema_history WHERE installed_rank = " + before);

    var r = fails(ExitCode.INFRASTRUCTURE, "teams", "list");

    assertThat(r.err()).contains("schema is older").contains("gateway-admin db migrate");
    assertThat(applied(older)).isEqualTo(before - 1);
  }

  private static long tables(DatabaseConfig db) throws SQLException {
    return count(
        db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
  }

  private static int applied(DatabaseConfig db) throws SQLException {
    return (int) count(db, "SELECT count(*) FROM flyway_schema_history");
  }

  private static long count(DatabaseConfig db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void exec(DatabaseConfig db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      c.createStatement().execute(sql);
    }
  }
}
