package io.llmgateway.server.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvConfigTest {

  @Test
  void demoModeNeedsNothing() {
    ServerConfig c = EnvConfig.fromEnv(Map.of("HOME", "/home/ana"));
    assertThat(c.mode()).isEqualTo(ServerConfig.Mode.DEMO);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(4000);
    assertThat(c.masterKey()).isEmpty();
    assertThat(c.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.database().url()).isEmpty();
    assertThat(c.database().poolSize()).isEqualTo(5);
    assertThat(c.database().settlement()).isEqualTo(GatewayConfig.Settlement.DEFERRED);
    assertThat(EnvConfig.fromEnv(Map.of("GATEWAY_SETTLEMENT", "INLINE")).database().settlement())
        .isEqualTo(GatewayConfig.Settlement.INLINE);
    assertThat(c.database().leaseWindow()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(
            EnvConfig.fromEnv(Map.of("GATEWAY_BUDGET_LEASE_SECONDS", "0")).database().leaseWindow())
        .isZero();
    assertThat(c.database().dataDir()).isEqualTo(Path.of("/home/ana/.local/share/llm-gateway"));
    assertThat(c.provider().kind()).isEqualTo(ServerConfig.ProviderKind.MOCK);
    assertThat(c.modelsFile()).isEqualTo(Path.of("config/models.yaml"));
    assertThat(c.tiersFile()).isEqualTo(Path.of("config/tiers.yaml"));
  }

  @Test
  void productionRequiresAMasterKeyAndDefaultsToBedrock() {
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_MODE", "production")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("GATEWAY_MASTER_KEY is required");

    ServerConfig c =
        EnvConfig.fromEnv(
            Map.of(
                "GATEWAY_MODE", "production",
                "GATEWAY_MASTER_KEY", "sk-prod-0123456789abcdefghij",
                "GATEWAY_HOST", "0.0.0.0",
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9999",
                "DATABASE_URL", "postgresql://u:p@db:5432/gw",
                "GATEWAY_TIMEZONE", "Europe/Berlin"));
    assertThat(c.provider().kind()).isEqualTo(ServerConfig.ProviderKind.BEDROCK);
    assertThat(c.provider().endpoint().orElseThrow().getPort()).isEqualTo(9999);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(c.toString()).doesNotContain("sk-prod").doesNotContain("u:p@");
  }

  @Test
  void mistakesNameTheVariableAndTheFix() {
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_PORT", "http")))
        .hasMessageContaining("GATEWAY_PORT must be a whole number");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_PORT", "70000")))
        .hasMessageContaining("GATEWAY_PORT must be between 0 and 65535");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_TIMEZONE", "Mars/Olympus")))
        .hasMessageContaining("GATEWAY_TIMEZONE");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_PROVIDER", "openai")))
        .hasMessageContaining("GATEWAY_PROVIDER must be 'mock' or 'bedrock'");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_MASTER_KEY", "short")))
        .hasMessageContaining("must start with 'sk-'")
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_DB_POOL_SIZE", "0")))
        .hasMessageContaining("GATEWAY_DB_POOL_SIZE");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_SETTLEMENT", "later")))
        .hasMessageContaining("GATEWAY_SETTLEMENT must be 'deferred' or 'inline'");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_BUDGET_LEASE_SECONDS", "-1")))
        .hasMessageContaining("GATEWAY_BUDGET_LEASE_SECONDS must be between 0 and 300");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_BUDGET_LEASE_SECONDS", "10s")))
        .hasMessageContaining("GATEWAY_BUDGET_LEASE_SECONDS must be a whole number");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_MODE", "staging")))
        .hasMessageContaining("GATEWAY_MODE");
  }

  @Test
  void theRequestLogKeepsRefusalsThirtyDaysUnlessConfigured() {
    assertThat(EnvConfig.fromEnv(Map.of()).database().requestLogRetention())
        .isEqualTo(java.time.Duration.ofDays(30));
    assertThat(
            EnvConfig.fromEnv(Map.of("GATEWAY_REQUEST_LOG_RETENTION_DAYS", "7"))
                .database()
                .requestLogRetention())
        .isEqualTo(java.time.Duration.ofDays(7));
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_REQUEST_LOG_RETENTION_DAYS", "0")))
        .hasMessageContaining("GATEWAY_REQUEST_LOG_RETENTION_DAYS must be between 1 and 3650");
  }

  @Test
  void theSpendLogIsKeptWholeAndRolledUpEveryMinuteUnlessConfigured() {
    var defaults = EnvConfig.fromEnv(Map.of()).database();
    assertThat(defaults.spendLogRetentionMonths()).isEmpty();
    assertThat(defaults.spendRollupEvery()).isEqualTo(java.time.Duration.ofSeconds(60));
    var set =
        EnvConfig.fromEnv(
                Map.of(
                    "GATEWAY_SPEND_LOG_RETENTION_MONTHS",
                    "12",
                    "GATEWAY_SPEND_ROLLUP_SECONDS",
                    "5"))
            .database();
    assertThat(set.spendLogRetentionMonths()).contains(12);
    assertThat(set.spendRollupEvery()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_SPEND_LOG_RETENTION_MONTHS", "-1")))
        .hasMessageContaining("GATEWAY_SPEND_LOG_RETENTION_MONTHS must be between 0 and 1200");
  }

  @Test
  void theMemberKeyLimitComesFromTheEnvironmentAndReachesTheAdminService() {
    assertThat(EnvConfig.fromEnv(Map.of()).memberKeyLimit()).isEqualTo(10);
    ServerConfig env = EnvConfig.fromEnv(Map.of("GATEWAY_MEMBER_KEY_LIMIT", "25"));
    assertThat(env.memberKeyLimit()).isEqualTo(25);
    assertThat(EnvConfig.fromEnv(Map.of("GATEWAY_MEMBER_KEY_LIMIT", "1000")).memberKeyLimit())
        .isEqualTo(1000);
    try (GatewayServer server =
        GatewayServer.start(
            ServerConfig.forTests().toBuilder().memberKeyLimit(25).build(),
            InMemoryAdapters.create(),
            List.of(),
            java.time.Clock.systemUTC())) {
      assertThat(server.gateway().config().memberKeyLimit()).isEqualTo(25);
    }
  }

  @Test
  void refusesAMemberKeyLimitOutsideOneToAThousandNamingTheVariable() {
    for (String bad : List.of("0", "1001", "-3", "ten", "2.5")) {
      assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_MEMBER_KEY_LIMIT", bad)))
          .as(bad)
          .isInstanceOf(ConfigError.class)
          .hasMessageContaining("GATEWAY_MEMBER_KEY_LIMIT");
    }
  }

  @Test
  void refusesSettingsUnderWhichARequestCouldOutliveItsReservation() {
    // 2 attempts x (300 s + 1 s) + 5 s of drain >= 600 s: the sweeper could charge a running call.
    assertThatThrownBy(
            () ->
                EnvConfig.fromEnv(
                    Map.of(
                        "GATEWAY_RESERVATION_TTL_SECONDS", "600",
                        "GATEWAY_BEDROCK_CALL_TIMEOUT_SECONDS", "300")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("GATEWAY_RESERVATION_TTL_SECONDS (600)")
        .hasMessageContaining("GATEWAY_MAX_ATTEMPTS (2)")
        .hasMessageContaining("GATEWAY_BEDROCK_CALL_TIMEOUT_SECONDS (300, plus 1 s)")
        .hasMessageContaining("GATEWAY_CANCEL_DRAIN_SECONDS (5)");

    // One attempt fits in the same TTL; so do the defaults: 2 x (300 s + 1 s) + 5 s < 900 s.
    ServerConfig one =
        EnvConfig.fromEnv(
            Map.of(
                "GATEWAY_RESERVATION_TTL_SECONDS", "600",
                "GATEWAY_BEDROCK_CALL_TIMEOUT_SECONDS", "300",
                "GATEWAY_MAX_ATTEMPTS", "1",
                "GATEWAY_CANCEL_DRAIN_SECONDS", "2"));
    assertThat(one.timings().reservationTtl()).isEqualTo(java.time.Duration.ofSeconds(600));
    assertThat(one.timings().cancelDrain()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(one.provider().maxAttempts()).isEqualTo(1);
    assertThat(one.provider().callTimeout()).isEqualTo(java.time.Duration.ofSeconds(300));
    ServerConfig defaults = EnvConfig.fromEnv(Map.of());
    assertThat(defaults.timings().reservationTtl()).isEqualTo(java.time.Duration.ofMinutes(15));
    assertThat(defaults.provider().callTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void httpSettingsOutlastTheLoadBalancerAndParseTrustedProxies() {
    ServerConfig c = EnvConfig.fromEnv(Map.of());
    // The ALB's idle timeout is 300 s: the server must hold idle connections longer.
    assertThat(c.http().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(330));
    assertThat(c.http().requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(c.http().sseHeartbeat()).isEqualTo(java.time.Duration.ofSeconds(15));
    assertThat(c.http().trustedProxies()).isEmpty();
    assertThat(c.http().metricsToken()).isEmpty();
    ServerConfig set =
        EnvConfig.fromEnv(
            Map.of(
                "GATEWAY_IDLE_TIMEOUT_SECONDS", "4000",
                "GATEWAY_TRUSTED_PROXIES", "10.0.0.0/24, 10.0.1.0/24",
                "GATEWAY_METRICS_TOKEN", "a-long-enough-metrics-token",
                "GATEWAY_KEY_FAILURES_PER_MINUTE", "7"));
    assertThat(set.http().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(4000));
    assertThat(set.http().trustedProxies()).containsExactly("10.0.0.0/24", "10.0.1.0/24");
    assertThat(set.http().metricsToken()).isPresent();
    assertThat(set.http().keyFailuresPerMinute()).isEqualTo(7);
    assertThatThrownBy(
            () -> EnvConfig.fromEnv(Map.of("GATEWAY_TRUSTED_PROXIES", "alb.internal.example")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("GATEWAY_TRUSTED_PROXIES");
    assertThatThrownBy(() -> EnvConfig.fromEnv(Map.of("GATEWAY_METRICS_TOKEN", "short")))
        .isInstanceOf(ConfigError.class);
  }
}
