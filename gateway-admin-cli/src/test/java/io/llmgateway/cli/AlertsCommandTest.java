package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditQuery;
import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.alerts.AlertSettings;
import io.llmgateway.server.alerts.Alerts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budget alerts from the CLI, on the database and over the admin API: thresholds and soft budgets
 * on users, keys and teams (audited), temporary increases, and {@code alerts list}.
 */
class AlertsCommandTest extends CommandTest {

  @BeforeEach
  void onboarded() throws Exception {
    seedOnboarded();
  }

  private PostgresAlerts alerts() {
    return cli.adapters.alerts();
  }

  @Test
  void thresholdsSoftBudgetsAndIncreasesAreSetOnTheDatabase() {
    ok(
        "users",
        "update",
        "user1@example.com",
        "--alert-thresholds",
        "0.5,0.8",
        "--soft-budget",
        "2",
        "--soft-budget-window",
        "daily",
        "--temp-budget-increase",
        "5.00",
        "--temp-budget-expiry",
        "2026-12-31T00:00:00Z");
    Thresholds u = alerts().thresholds("USER", "user1@example.com").orElseThrow();
    assertThat(u.fractionsBp()).contains(List.of(5000, 8000));
    assertThat(u.softDailyNanos()).contains(Money.ofUsd("2").nanos());
    assertThat(u.softMonthlyNanos()).isEmpty();
    User user = cli.stores().users().findById("user1@example.com").orElseThrow();
    assertThat(user.budgetIncrease())
        .contains(new BudgetIncrease(Money.ofUsd("5.00"), Instant.parse("2026-12-31T00:00:00Z")));

    String keyId = cli.stores().keys().findByAlias("user2@example.com").orElseThrow().id();
    ok("keys", "update", "user2@example.com", "--alert-thresholds", "none");
    assertThat(alerts().thresholds("KEY", keyId).orElseThrow().fractionsBp()).contains(List.of());
    ok("teams", "update", "drafting", "--alert-thresholds", "0.9", "--soft-budget", "100");
    Thresholds t = alerts().thresholds("TEAM", "drafting").orElseThrow();
    assertThat(t.fractionsBp()).contains(List.of(9000));
    assertThat(t.softMonthlyNanos()).contains(Money.ofUsd("100").nanos());
    ok("users", "update", "user1@example.com", "--alert-thresholds", "inherit");
    assertThat(alerts().thresholds("USER", "user1@example.com").orElseThrow().fractionsBp())
        .isEmpty();

    var audit =
        cli.stores()
            .auditLog()
            .list(
                AuditQuery.builder(new PageRequest(1, 50))
                    .action(Optional.of("alert_thresholds.update"))
                    .build())
            .items();
    assertThat(audit)
        .extracting(e -> e.targetType() + ":" + e.targetId())
        .contains("user:user1@example.com", "key:" + keyId, "team:drafting");

    // refused before anything changes: bad fractions, a lone expiry
    fails(ExitCode.VALIDATION, "users", "update", "user3@example.com", "--alert-thresholds", "1.5");
    fails(
        ExitCode.USAGE,
        "users",
        "update",
        "user3@example.com",
        "--temp-budget-expiry",
        "2026-12-31T00:00:00Z");
    assertThat(alerts().thresholds("USER", "user3@example.com")).isEmpty();
    assertThat(cli.stores().users().findById("user3@example.com").orElseThrow().budgetIncrease())
        .isEmpty();
  }

  @Test
  void alertsListShowsRecordedAlertsOnTheDatabaseAndOverTheApi() {
    Jdbi.create(cli.adapters.dataSource())
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO alert_outbox (scope_kind, scope_id, time_window, period,"
                        + " threshold_kind, threshold_value, committed_nanos, limit_nanos,"
                        + " resets_at, state, attempts, last_error)"
                        + " VALUES ('USER', 'user1@example.com', 'DAILY', '2026-11-27@UTC',"
                        + " 'fraction', 8000, 2400000, 3000000, '2026-11-28T00:00:00Z', 'failed',"
                        + " 20, 'webhook: HTTP 500')"));
    var db = ok("alerts", "list", "--state", "failed", "--format", "csv");
    assertThat(db.out())
        .contains("user1@example.com")
        .contains("daily 2026-11-27@UTC")
        .contains("80%")
        .contains("\"failed\",\"20\",\"webhook: HTTP 500\",\"alrt_");
    assertThat(ok("alerts", "list", "--state", "delivered", "--format", "csv").out().lines())
        .hasSize(1);

    ServerConfig config = ServerConfig.forTests();
    GatewayServer.Builder b = GatewayServer.builder(config).stores(cli.stores()).clock(cli.clock);
    b.provider(new io.llmgateway.core.testing.ScriptedProvider("bedrock"));
    Alerts.install(b, cli.adapters.alerts(), AlertSettings.off());
    try (GatewayServer server = b.start()) {
      cli.env.put("GATEWAY_URL", server.baseUrl());
      cli.env.put("GATEWAY_ADMIN_KEY", "sk-test-master");
      assertThat(ok("alerts", "list", "--state", "failed", "--format", "csv").out())
          .isEqualTo(db.out());
      ok(
          "users",
          "update",
          "user3@example.com",
          "--alert-thresholds",
          "0.25",
          "--soft-budget",
          "1");
      Thresholds u = alerts().thresholds("USER", "user3@example.com").orElseThrow();
      assertThat(u.fractionsBp()).contains(List.of(2500));
      assertThat(u.softMonthlyNanos()).contains(Money.ofUsd("1").nanos());
      ok(
          "users",
          "update",
          "user3@example.com",
          "--temp-budget-increase",
          "3",
          "--temp-budget-expiry",
          "2026-12-31T00:00:00Z");
      assertThat(cli.stores().users().findById("user3@example.com").orElseThrow().budgetIncrease())
          .isPresent();
    } finally {
      cli.env.remove("GATEWAY_URL");
      cli.env.remove("GATEWAY_ADMIN_KEY");
    }
  }
}
