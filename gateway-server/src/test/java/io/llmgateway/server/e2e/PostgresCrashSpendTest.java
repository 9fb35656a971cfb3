package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.MutableClock;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.boot.StartupConfigSync;
import io.llmgateway.server.support.CrashablePostgres;
import io.llmgateway.server.support.GatewayStack;
import io.llmgateway.server.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 2: PostgreSQL crashes (every server process SIGKILLed, as the OOM killer or a
 * power cut would) under concurrent load on one user with a large budget, spread over three gateway
 * instances, comes back on the same port and data directory, and the load goes on. Draws on budget
 * leases are committed without waiting for the WAL flush, so the crash loses the last acknowledged
 * ones; before the fix the lease was then released after the restart and what those draws cost was
 * lost.
 *
 * <p>The truth is what the Bedrock stub served: every call answers with the same scripted usage, so
 * what was billed is the number of calls times that usage at the model's prices. After the crashes,
 * spend log + held reservations must cover it; after the sweeper has charged what expired, the
 * spend log alone must, and the counters must equal the spend log. The same runs with leases off
 * (one reservation per request), which never lost anything.
 *
 * <p>The server is a dedicated embedded PostgreSQL with production durability settings (the shared
 * test fixture turns synchronous_commit off for every database, which would also lose reserves).
 * The crash comes right after a draw or settle batch was seen committed, which is when its commit
 * record is most likely still unflushed; three rounds make a loss on the old code near certain.
 */
@Tag("alone") // gateway-server/pom.xml: run in a JVM of its own, after the others
class PostgresCrashSpendTest {
  static final int INPUT_TOKENS = 1_000;
  static final int OUTPUT_TOKENS = 500;

  /** model-cheap (config/models.yaml): $0.035 and $0.14 per million tokens: 35 and 140 nanos. */
  static final long COST_PER_CALL = INPUT_TOKENS * 35L + OUTPUT_TOKENS * 140L;

  static final int CLIENTS = 8;
  static final int INSTANCES = 3;
  static final int ROUNDS = 3;
  static final int SCRIPTED = 100_000;
  static final String PROMPT = "word ".repeat(250); // an input bound above the reported usage

  @Test
  void aCrashOnTheLeasePathLosesNoSpend() throws Exception {
    run(ServerConfig.DEFAULT_LEASE_WINDOW);
  }

  @Test
  void aCrashOnThePerRequestPathLosesNoSpend() throws Exception {
    run(Duration.ZERO);
  }

  private void run(Duration leaseWindow) throws Exception {
    Path dir = Files.createTempDirectory("gateway-crash-pg");
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    try (CrashablePostgres pg = CrashablePostgres.start(dir);
        BedrockStub stub = BedrockStub.start();
        PostgresAdapters adapters = PostgresAdapters.start(pg.config(16))) {
      for (int i = 0; i < SCRIPTED; i++) {
        stub.enqueue(StubResponse.text("ok", INPUT_TOKENS, OUTPUT_TOKENS));
      }
      ServerConfig config = TestConfigs.withLeaseWindow(ServerConfig.forTests(), leaseWindow);
      AdminService admin = new AdminService(adapters.stores(), clock, config.zone());
      StartupConfigSync.apply(admin, GatewayStack.MODELS, GatewayStack.TIERS);
      Money large = Money.ofUsd("1000");
      admin.createUser(
          Principal.MASTER,
          UserSpec.member("crash-user", "drafting").toBuilder()
              .budgets(List.of(BudgetLimit.daily(large), BudgetLimit.monthly(large)))
              .build());
      IssuedKey key =
          admin.generateKey(
              Principal.MASTER, KeySpec.builder().userId("crash-user").teamId("drafting").build());
      // Three gateway instances on the one database, as three tasks behind the load balancer:
      // each has its own settlement writer and its own leases on the same user's counters.
      List<GatewayServer> servers = new ArrayList<>();
      List<OpenAIClient> clients = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        GatewayServer server =
            GatewayServer.builder(config.toBuilder().masterKey(GatewayStack.MASTER_KEY).build())
                .stores(adapters.stores())
                .provider(Providers.bedrock(stub.settings()))
                .clock(clock)
                .start();
        servers.add(server);
        clients.add(
            OpenAIOkHttpClient.builder()
                .apiKey(key.plaintext())
                .baseUrl(server.baseUrl() + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build());
      }

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> workers = new ArrayList<>();
      try {
        for (int t = 0; t < CLIENTS; t++) {
          OpenAIClient client = clients.get(t % INSTANCES);
          workers.add(
              pool.submit(
                  () -> {
                    while (!stop.get()) {
                      try {
                        client.chat().completions().create(request());
                        answered.incrementAndGet();
                      } catch (RuntimeException e) {
                        failed.incrementAndGet(); // 503 while the database is away
                      }
                    }
                    return null;
                  }));
        }
        for (int round = 0; round < ROUNDS; round++) {
          awaitCalls(stub, 50);
          long t0 = System.nanoTime();
          pg.crashRightAfterACommitOf("SELECT count(*) FROM spend_log");
          long t1 = System.nanoTime();
          pg.restart();
          System.out.printf(
              "PostgresCrashSpendTest round %d: crashed after %d ms, restarted in %d ms%n",
              round, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
          awaitCalls(stub, 50); // the load goes on through the restart
        }
      } finally {
        stop.set(true);
        for (Future<?> w : workers) {
          w.get(60, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        servers.forEach(GatewayServer::close); // each writes what is queued, releases its leases
      }

      long calls = stub.requestCount();
      long billed = calls * COST_PER_CALL;
      Totals before = Totals.read(pg);
      String report =
          "calls %d (answered %d, failed %d), billed %d, spend %d (of which %d for lost draws),"
              + " held %d";
      report =
          report.formatted(
              calls,
              answered.get(),
              failed.get(),
              billed,
              before.spent,
              before.drawsLost,
              before.held);
      System.out.println("PostgresCrashSpendTest lease=" + leaseWindow + ": " + report);
      assertThat(calls).as("every call answered from the script").isLessThan(SCRIPTED);
      assertThat(before.spent + before.held)
          .as("spend log + held reservations cover what was billed: " + report)
          .isGreaterThanOrEqualTo(billed);

      clock.advance(Duration.ofHours(2)); // past every lease window and reservation TTL
      adapters.stores().ledger().expire(clock.instant());
      Totals after = Totals.read(pg);
      assertThat(after.held).as("held after the sweeper").isZero();
      assertThat(after.spent).as("spend log covers what was billed").isGreaterThanOrEqualTo(billed);
      assertThat(after.committed).as("counters equal the spend log").isEqualTo(after.spent);
      assertThat(after.reserved).as("reserved after the sweeper").isZero();
    }
  }

  /** Waits (bounded) until the stub has served {@code n} more calls. */
  private static void awaitCalls(BedrockStub stub, int n) throws InterruptedException {
    long target = stub.requestCount() + n;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stub.requestCount() < target) {
      assertThat(System.nanoTime()).as("the load goes on").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static ChatCompletionCreateParams request() {
    return ChatCompletionCreateParams.builder()
        .model("model-cheap")
        .addUserMessage(PROMPT)
        .maxCompletionTokens(600)
        .build();
  }

  /** The user's spend, held reservations and daily counter. */
  private record Totals(long spent, long drawsLost, long held, long committed, long reserved) {
    static Totals read(CrashablePostgres pg) throws SQLException {
      try (Connection c = pg.connect()) {
        return new Totals(
            one(
                c,
                "SELECT coalesce(sum(cost_nanos), 0) FROM spend_log WHERE user_id = 'crash-user'"),
            one(
                c,
                "SELECT coalesce(sum(cost_nanos), 0) FROM spend_log WHERE user_id = 'crash-user'"
                    + " AND error_type = 'draws_lost'"),
            one(
                c,
                "SELECT coalesce(sum(amount_nanos), 0) FROM reservations WHERE state = 'held'"
                    + " AND pending->>'userId' = 'crash-user'"),
            one(
                c,
                "SELECT coalesce(sum(committed_nanos), 0) FROM budget_counters"
                    + " WHERE scope_kind = 'USER' AND scope_id = 'crash-user'"
                    + " AND time_window = 'DAILY'"),
            one(
                c,
                "SELECT coalesce(sum(reserved_nanos), 0) FROM budget_counters"
                    + " WHERE scope_kind = 'USER' AND scope_id = 'crash-user'"
                    + " AND time_window = 'DAILY'"));
      }
    }

    private static long one(Connection c, String sql) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
