package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Budget leases (on by default in the server) across two gateway instances on one PostgreSQL, as
 * two pods behind a load balancer: one user's requests are spread over both until the user's daily
 * budget is spent. A CHECK constraint added for this test makes any write that would put the
 * counter over its limit fail (the request would then get a 5xx, which fails the test); at the end
 * the counter holds exactly what the spend log says, and lease slices left on either instance did
 * not strand a noticeable part of the budget.
 */
class BudgetLeasesTest {
  static final Money DAILY = Money.ofUsd("0.3");
  static final String PROMPT = "word ".repeat(3_000);

  @Test
  void twoInstancesSpendOneUsersBudgetToTheLimitAndNotBeyond() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      Jdbi jdbi = Jdbi.create(stack.adapters.dataSource());
      jdbi.useHandle(
          h ->
              h.execute(
                  "ALTER TABLE budget_counters ADD CONSTRAINT test_zero_overshoot"
                      + " CHECK (committed_nanos + reserved_nanos <= limit_nanos)"));
      GatewayServer second =
          GatewayServer.builder(
                  ServerConfig.forTests().toBuilder().masterKey(GatewayStack.MASTER_KEY).build())
              .stores(stack.adapters.stores())
              .provider(Providers.bedrock(stack.stub.settings()))
              .clock(stack.clock)
              .start();
      var issued = stack.userKey("drafting", List.of(BudgetLimit.daily(DAILY)));
      String userId = issued.key().userId().orElseThrow();
      List<OpenAIClient> clients =
          List.of(
              stack.client(issued.plaintext()),
              com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                  .apiKey(issued.plaintext())
                  .baseUrl(second.baseUrl() + "/v1")
                  .maxRetries(0)
                  .build());

      AtomicInteger answered = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          OpenAIClient client = clients.get(t % 2);
          workers.add(
              pool.submit(
                  () -> {
                    // Each request costs about $0.00047 (echoed: ~1,500 in, 3,000 out); keep
                    // going until this worker has been refused a few times.
                    int mine = 0;
                    for (int i = 0; i < 2_000 && mine < 3; i++) {
                      try {
                        client.chat().completions().create(request());
                        answered.incrementAndGet();
                      } catch (RateLimitException e) {
                        assertThat(e.getMessage()).contains("budget");
                        refused.incrementAndGet();
                        mine++;
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : workers) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        second.close(); // writes its queued spend and releases its leases
      }
      stack.server.close();

      long[] counter =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT committed_nanos, reserved_nanos FROM budget_counters"
                              + " WHERE scope_kind = 'USER' AND scope_id = :u"
                              + " AND time_window = 'DAILY'")
                      .bind("u", userId)
                      .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                      .one());
      long[] spend =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT count(*), coalesce(sum(cost_nanos), 0) FROM spend_log"
                              + " WHERE user_id = :u")
                      .bind("u", userId)
                      .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                      .one());
      long[] reservations =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT count(*) FILTER (WHERE id LIKE 'lease-%'),"
                              + " count(*) FILTER (WHERE id NOT LIKE 'lease-%') FROM reservations"
                              + " WHERE pending->>'userId' = :u")
                      .bind("u", userId)
                      .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                      .one());
      assertThat(reservations[0]).as("leases taken (both instances)").isGreaterThanOrEqualTo(2);
      assertThat(reservations[1])
          .as("requests that reserved on their own (near the limit)")
          .isLessThan(answered.get() / 2);
      assertThat(refused.get()).isGreaterThanOrEqualTo(8 * 3);
      assertThat(answered.get()).isGreaterThan(500);
      assertThat(counter[1]).as("reserved after both instances stopped").isZero();
      assertThat(counter[0]).as("committed").isLessThanOrEqualTo(DAILY.nanos());
      assertThat(spend[0]).as("one spend row per answer").isEqualTo(answered.get());
      assertThat(spend[1]).as("spend log adds up to the counter").isEqualTo(counter[0]);
      // Both instances admitted against leases while the budget was ample, and per request near
      // the end: at most a few requests' worth went unused.
      assertThat(counter[0]).isGreaterThan(DAILY.nanos() * 95 / 100);
    }
  }

  private static ChatCompletionCreateParams request() {
    return ChatCompletionCreateParams.builder()
        .model("model-cheap")
        .addUserMessage(PROMPT)
        .maxCompletionTokens(3_000)
        .build();
  }
}
