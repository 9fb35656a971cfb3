package io.llmgateway.server.e2e;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.Billed;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import io.llmgateway.server.support.Ledger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The budget guarantee on {@code /v1/embeddings}, raced across two gateway instances on one
 * PostgreSQL (each with its own pool, leases and LISTEN connection): one user's clients send
 * batches of texts to both at once until refused. Then no more was billed than the daily limit, the
 * spend log covers the stub's bill, nothing is held and every counter equals its spend log.
 */
class EmbeddingsAcrossInstancesTest {
  static final Pricing TITAN = Pricing.perMillionUsd("0.02", "0.02");

  /** About 25 requests at their billed cost (4 x 250 tokens = 20,000 nano-USD each). */
  static final Money DAILY = Money.ofUsd("0.0005");

  static final int CLIENTS = 6;
  static final int REQUESTS_PER_CLIENT = 12;

  @Test
  void twoInstancesRacingOneBudgetNeverOvershootIt() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      db.useHandle(
          h ->
              h.execute(
                  "ALTER TABLE budget_counters ADD CONSTRAINT test_embed_zero_overshoot"
                      + " CHECK (committed_nanos + reserved_nanos <= limit_nanos)"));
      GatewayServer other = stack.anotherInstance(Providers.bedrock(stack.stub.settings()));
      IssuedKey key = stack.userKey("retrieval", List.of(BudgetLimit.daily(DAILY)));
      List<String> texts =
          List.of("a".repeat(1000), "b".repeat(1000), "c".repeat(1000), "d".repeat(1000));
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger broken = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        GatewayServer instance = c % 2 == 0 ? stack.server : other;
        OpenAIClient client =
            OpenAIOkHttpClient.builder()
                .apiKey(key.plaintext())
                .baseUrl(instance.baseUrl() + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
        clients.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    try {
                      client
                          .embeddings()
                          .create(
                              EmbeddingCreateParams.builder()
                                  .model("model-embed")
                                  .inputOfArrayOfStrings(texts)
                                  .build());
                      answered.incrementAndGet();
                    } catch (RateLimitException e) {
                      refused.incrementAndGet();
                    } catch (RuntimeException e) {
                      broken.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
      pool.shutdown();
      stack.server.gateway().flushSettlements(Duration.ofSeconds(5));
      other.gateway().flushSettlements(Duration.ofSeconds(5));

      long billedTokens = stack.stub.billed().stream().mapToLong(Billed::inputTokens).sum();
      Money billed = TITAN.cost(TokenUsage.reported(billedTokens, 0));
      long spent = Ledger.spentByUser(db).getOrDefault(key.key().userId().orElseThrow(), 0L);
      System.out.printf(
          "EmbeddingsAcrossInstancesTest: %d answered, %d refused, %d broken; billed %s, spent %d"
              + " nano-USD of %s%n",
          answered.get(), refused.get(), broken.get(), billed, spent, DAILY);

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(broken.get()).as("requests failing inside the gateway").isZero();
      soft.assertThat(answered.get()).as("answered").isPositive();
      soft.assertThat(refused.get()).as("refused once the budget ran out").isPositive();
      soft.assertThat(billed.compareTo(DAILY))
          .as("billed %s within %s", billed, DAILY)
          .isLessThanOrEqualTo(0);
      soft.assertThat(spent)
          .as("the spend log covers the bill")
          .isGreaterThanOrEqualTo(billed.nanos());
      soft.assertThat(spent).as("spend within the limit").isLessThanOrEqualTo(DAILY.nanos());
      Ledger.assertCountersEqualSpendLog(soft, db);
      soft.assertThat(Ledger.heldReservations(db)).as("reservations still held").isZero();
      soft.assertAll();
    }
  }
}
