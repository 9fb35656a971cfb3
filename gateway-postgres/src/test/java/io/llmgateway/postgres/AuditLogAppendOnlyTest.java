package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V108: audit_log is append-only for the role the gateway connects as (issue 15, finding 6), on
 * real PostgreSQL, with non-superuser roles as on RDS (the fixture's own user is a superuser, which
 * privileges do not bind).
 *
 * <ul>
 *   <li>The gateway as the owner of its schema (RDS today: the master user runs the migrations and
 *       serves requests): appending and listing work; UPDATE, DELETE, TRUNCATE and an upsert are
 *       refused, and the rows are unchanged.
 *   <li>A separate application role given ALL on every table before V108: keeps SELECT and INSERT
 *       on audit_log, loses UPDATE, DELETE and TRUNCATE.
 * </ul>
 */
class AuditLogAppendOnlyTest {

  private static final String REFUSED = "42501"; // insufficient_privilege
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

  @Test
  void theGatewaysOwnRoleCanAppendAndReadButNeverRewriteTheAuditLog() throws SQLException {
    DatabaseConfig admin = PostgresFixture.freshDatabase();
    String owner = newRole(admin);
    execute(admin, "ALTER DATABASE " + databaseName(admin) + " OWNER TO " + owner);
    DatabaseConfig gateway = as(admin, owner);

    try (PostgresAdapters adapters = PostgresAdapters.start(gateway)) {
      var audit = adapters.stores().auditLog();
      AuditEvent first = event("a1", "key.block");
      AuditEvent second = event("a2", "key.delete");
      audit.append(first);
      audit.append(second);
      assertThat(execute(gateway, "SELECT 1 FROM audit_log")).isTrue();

      for (String sql :
          List.of(
              "UPDATE audit_log SET actor = 'someone-else'",
              "UPDATE audit_log SET actor = 'x' WHERE false",
              "DELETE FROM audit_log WHERE id = 'a1'",
              "TRUNCATE audit_log",
              "INSERT INTO audit_log (id, at, actor, action, target_type, target_id)"
                  + " VALUES ('a1', now(), 'x', 'x', 'x', 'x')"
                  + " ON CONFLICT (id) DO UPDATE SET actor = 'someone-else'")) {
        assertThatThrownBy(() -> execute(gateway, sql))
            .as(sql)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(REFUSED));
      }

      assertThat(audit.list(Optional.empty(), PageRequest.first(10)).items())
          .containsExactlyInAnyOrder(first, second);
      audit.append(event("a3", "team.update"));
      assertThat(audit.list(Optional.empty(), PageRequest.first(10)).total()).isEqualTo(3);
    }
  }

  @Test
  void aSeparateApplicationRoleKeepsSelectAndInsertButLosesUpdateDeleteAndTruncate()
      throws SQLException {
    DatabaseConfig admin = PostgresFixture.freshDatabase();
    migrate(admin, "107");
    String app = newRole(admin);
    execute(
        admin,
        "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO " + app);
    migrate(admin, "latest");
    DatabaseConfig gateway = as(admin, app);

    execute(
        gateway,
        "INSERT INTO audit_log (id, at, actor, action, target_type, target_id)"
            + " VALUES ('b1', now(), 'master', 'key.block', 'key', 'k1')");
    assertThat(execute(gateway, "SELECT 1 FROM audit_log")).isTrue();
    for (String sql :
        List.of(
            "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log")) {
      assertThatThrownBy(() -> execute(gateway, sql))
          .as(sql)
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo(REFUSED);
                assertThat(e.getMessage()).contains("permission denied");
              });
    }
    // Only audit_log is narrowed: the role's rights on the other tables stay as granted.
    execute(gateway, "DELETE FROM rate_windows");
  }

  private static AuditEvent event(String id, String action) {
    return new AuditEvent(id, NOW, "master", action, "key", "k1", Map.of(), Map.of("n", 1));
  }

  /** A login role like the RDS master user: no superuser, no CREATEDB, no CREATEROLE. */
  private static String newRole(DatabaseConfig admin) throws SQLException {
    assumeTrue(PostgresFixture.isEmbedded(), "creates cluster roles: embedded PostgreSQL only");
    String role = "gw_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    execute(
        admin,
        "CREATE ROLE "
            + role
            + " LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION");
    return role;
  }

  private static DatabaseConfig as(DatabaseConfig admin, String role) {
    return new DatabaseConfig(admin.jdbcUrl(), role, "pw", 2);
  }

  private static String databaseName(DatabaseConfig config) {
    String url = config.jdbcUrl();
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return base.substring(base.lastIndexOf('/') + 1);
  }

  private static void migrate(DatabaseConfig config, String target) {
    Flyway.configure()
        .dataSource(config.jdbcUrl(), config.username(), config.password())
        .locations("classpath:db/migration")
        .target(target)
        .load()
        .migrate();
  }

  private static boolean execute(DatabaseConfig config, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
        Statement s = c.createStatement()) {
      return s.execute(sql);
    }
  }
}
