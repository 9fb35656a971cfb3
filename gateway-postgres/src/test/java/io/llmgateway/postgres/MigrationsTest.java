package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.testing.PostgresFixture;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void migrationsApplyToAnEmptyDatabaseAndAreIdempotentOnRestart() {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    List<String> applied;
    try (PostgresAdapters first = PostgresAdapters.start(config)) {
      applied = first.appliedMigrations();
      assertThat(applied).isNotEmpty().allSatisfy(m -> assertThat(m).isNotBlank());
      assertThat(first.pendingMigrations()).isEmpty();
      assertThat(first.isHealthy()).isTrue();
    }
    PostgresAdapters.migrate(config); // again: nothing to do, no error
    try (PostgresAdapters second = PostgresAdapters.start(config)) {
      assertThat(second.appliedMigrations()).isEqualTo(applied);
      assertThat(second.pendingMigrations()).isEmpty();
    }
  }

  @Test
  void everyMoneyColumnHasANonNegativeCheck() {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    PostgresAdapters.migrate(config);
    Jdbi jdbi = Jdbi.create(config.jdbcUrl(), config.username(), config.password());
    List<String> moneyColumns =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT table_name || '.' || column_name FROM information_schema.columns"
                            + " WHERE table_schema = 'public' AND column_name LIKE '%nanos'"
                            + " ORDER BY 1")
                    .mapTo(String.class)
                    .list());
    List<String> checked =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT DISTINCT c.relname || '.' || a.attname"
                            + " FROM pg_constraint k"
                            + " JOIN pg_class c ON c.oid = k.conrelid"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'"
                            + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey)"
                            + " WHERE k.contype = 'c' AND a.attname LIKE '%nanos'"
                            + " AND pg_get_constraintdef(k.oid) ~ ('\\(' || a.attname || ' >=? 0\\)')"
                            // or its type is a domain that holds the rule (V129)
                            + " UNION SELECT c.relname || '.' || a.attname FROM pg_attribute a"
                            + " JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'"
                            + " JOIN pg_constraint k ON k.contypid = a.atttypid AND k.contype = 'c'"
                            + " WHERE a.attname LIKE '%nanos' AND NOT a.attisdropped"
                            + " AND pg_get_constraintdef(k.oid) ~ '\\(VALUE >=? 0\\)'")
                    .mapTo(String.class)
                    .list());
    assertThat(moneyColumns)
        .contains(
            "budget_counters.committed_nanos",
            "budget_counters.reserved_nanos",
            "budget_counters.limit_nanos",
            "spend_log.cost_nanos",
            "reservations.amount_nanos",
            "budgets.limit_nanos");
    assertThat(checked).containsExactlyInAnyOrderElementsOf(moneyColumns);
  }

  @Test
  void theSchemaHoldsEveryTableTheGatewayNeeds() {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    PostgresAdapters.migrate(config);
    List<String> tables =
        Jdbi.create(config.jdbcUrl(), config.username(), config.password())
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                                + " 'public'")
                        .mapTo(String.class)
                        .list());
    assertThat(tables)
        .contains(
            "teams",
            "users",
            "team_members",
            "virtual_keys",
            "logical_models",
            "deployments",
            "budgets",
            "budget_counters",
            "reservations",
            "reservation_lines",
            "spend_log",
            "audit_log",
            "rate_windows",
            "rate_permits",
            "rate_slots");
  }
}
