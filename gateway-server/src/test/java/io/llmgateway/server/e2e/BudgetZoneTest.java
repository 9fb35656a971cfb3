package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.MutableClock;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import io.llmgateway.server.boot.Bootstrap;
import io.llmgateway.server.boot.ConfigError;
import io.llmgateway.server.boot.EnvConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, hole 7: two gateway instances on one PostgreSQL, one configured for UTC and one for
 * America/Los_Angeles, at 03:00 UTC on 6 December (still the 5th in Los Angeles). Before the zone
 * belonged to the database, each charged its own day's counter ({@code 2026-12-06} and {@code
 * 2026-12-05}) and together they admitted about twice the user's daily budget. Now the second
 * instance refuses to start and says how to fix it, and what one user is charged through every
 * instance that did start never exceeds the day's budget.
 */
class BudgetZoneTest {
  static final String MASTER = "sk-test-master-key-0123456789";
  static final Money DAILY = Money.ofUsd("0.005");
  // ~10,000 input tokens as the mock counts them (~$0.00035), worst case ~$0.0014 at admission.
  static final String PROMPT = "word ".repeat(8_000);

  @Test
  void anInstanceConfiguredInAnotherZoneDoesNotStartSoADayIsGrantedOnce(@TempDir Path dir)
      throws Exception {
    DatabaseConfig db = PostgresFixture.freshDatabase(4);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    List<Bootstrap.Started> running = new ArrayList<>();
    ConfigError refusal = null;
    running.add(Bootstrap.start(config(db, dir.resolve("a"), "UTC"), clock, List.of()));
    try (PostgresAdapters reader = PostgresAdapters.start(db)) {
      try {
        running.add(
            Bootstrap.start(config(db, dir.resolve("b"), "America/Los_Angeles"), clock, List.of()));
      } catch (ConfigError e) {
        refusal = e;
      }

      AdminService admin = new AdminService(reader.stores(), clock, ZoneId.of("UTC"));
      String userId = "zone-user";
      admin.createUser(
          Principal.MASTER,
          UserSpec.member(userId, "drafting").toBuilder()
              .budgets(List.of(BudgetLimit.daily(DAILY)))
              .build());
      IssuedKey key =
          admin.generateKey(
              Principal.MASTER, KeySpec.builder().userId(userId).teamId("drafting").build());

      // One client per instance that started; requests alternate until each has been refused.
      List<OpenAIClient> clients = new ArrayList<>();
      for (Bootstrap.Started s : running) {
        clients.add(
            OpenAIOkHttpClient.builder()
                .apiKey(key.plaintext())
                .baseUrl(s.server().baseUrl() + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build());
      }
      int[] refusedBy = new int[clients.size()];
      int answered = 0;
      for (int i = 0; i < 200 && !allAtLeast(refusedBy, 2); i++) {
        int n = i % clients.size();
        try {
          clients.get(n).chat().completions().create(request());
          answered++;
        } catch (RateLimitException e) {
          assertThat(e.getMessage()).contains("budget");
          refusedBy[n]++;
        }
      }
      for (Bootstrap.Started s : running) {
        s.server().close(); // writes queued spend, releases leases
      }
      running.clear();

      long charged =
          Jdbi.create(reader.dataSource())
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT coalesce(sum(cost_nanos), 0) FROM spend_log"
                                  + " WHERE user_id = :u")
                          .bind("u", userId)
                          .mapTo(Long.class)
                          .one());
      assertThat(answered).as("the budget was spent, not refused from the start").isPositive();
      assertThat(charged)
          .as("charged through every instance that started, against a daily budget of %s", DAILY)
          .isLessThanOrEqualTo(DAILY.nanos());
      assertThat(charged).isGreaterThan(DAILY.nanos() / 2);
    } finally {
      running.forEach(s -> s.server().close());
    }

    assertThat(refusal).as("the instance configured for Los Angeles refused to start").isNotNull();
    assertThat(refusal.getMessage())
        .contains("GATEWAY_TIMEZONE")
        .contains("America/Los_Angeles")
        .contains("UTC")
        .contains("gateway-admin settings timezone");
  }

  private static boolean allAtLeast(int[] counts, int n) {
    for (int c : counts) {
      if (c < n) {
        return false;
      }
    }
    return true;
  }

  private static ChatCompletionCreateParams request() {
    return ChatCompletionCreateParams.builder()
        .model("model-cheap")
        .addUserMessage(PROMPT)
        .maxCompletionTokens(16)
        .build();
  }

  private static io.llmgateway.server.ServerConfig config(
      DatabaseConfig db, Path dataDir, String zone) {
    String url =
        db.jdbcUrl()
            + (db.jdbcUrl().contains("?") ? "&" : "?")
            + "user="
            + db.username()
            + (db.password().isEmpty() ? "" : "&password=" + db.password());
    return EnvConfig.fromEnv(
        Map.of(
            "GATEWAY_MODE", "production",
            "GATEWAY_MASTER_KEY", MASTER,
            "GATEWAY_PROVIDER", "mock",
            "DATABASE_URL", url,
            "GATEWAY_DB_POOL_SIZE", "3",
            "GATEWAY_DATA_DIR", dataDir.toString(),
            "GATEWAY_PORT", "0",
            "GATEWAY_TIMEZONE", zone,
            "GATEWAY_MODELS_FILE", "../config/models.yaml",
            "GATEWAY_TIERS_FILE", "../config/tiers.yaml"));
  }
}
