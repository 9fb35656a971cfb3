package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Budget alerts end to end: real PostgreSQL, gateway instances over the Bedrock stub, a real local
 * HTTP receiver. Every alert must be recorded once per threshold, window and period, and delivered
 * to each channel; failures must be retried, bounded and visible.
 */
class BudgetAlertsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"model-cheap\",\"max_tokens\":2000,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** About $0.00028 a request: 10 input and 2,000 output tokens of model-cheap. */
  private static void enqueue(GatewayStack stack, int n) {
    for (int i = 0; i < n; i++) {
      stack.stub.enqueue(StubResponse.text("ok", 10, 2000));
    }
  }

  @Test
  void thresholdsFireOnceEachWithThreeInstancesSpendingOneBudget() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      AlertSettings settings = AlertTestSupport.settings(receiver, Duration.ofSeconds(30), 10);
      List<GatewayServer> instances = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        instances.add(AlertTestSupport.instance(stack, settings, close));
      }
      String key =
          stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.003")))).plaintext();
      enqueue(stack, 60);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<Integer>> served = new ArrayList<>();
      for (GatewayServer s : instances) {
        served.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < 20; i++) {
                    if (chat(stack, s, key).statusCode() != 200) {
                      break;
                    }
                    ok++;
                  }
                  return ok;
                }));
      }
      int total = 0;
      for (Future<Integer> f : served) {
        total += f.get();
      }
      pool.shutdown();
      instances.forEach(s -> s.gateway().flushSettlements(Duration.ofSeconds(5)));
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      awaitNoPending(db);

      Map<String, TreeSet<Long>> expected = expectedFromCounters(db);
      assertThat(expected.values().stream().mapToInt(TreeSet::size).sum())
          .as("the spend (%d requests) crossed thresholds", total)
          .isGreaterThanOrEqualTo(3);
      assertThat(recorded(db, "delivered")).isEqualTo(expected);
      assertDeliveredOncePerChannel(db, receiver);
      verifySignatures(receiver);
    } finally {
      closeAll(close);
    }
  }

  @Test
  void analertCommittedBeforeItsInstanceDiedIsDeliveredOnceByAnother() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      List<AutoCloseable> firstOnly = new ArrayList<>();
      GatewayServer dying =
          AlertTestSupport.instance(stack, AlertTestSupport.noChannel(receiver), firstOnly);
      String key =
          stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.002")))).plaintext();
      enqueue(stack, 4);
      for (int i = 0; i < 4; i++) {
        assertThat(chat(stack, dying, key).statusCode()).isEqualTo(200);
      }
      dying.gateway().flushSettlements(Duration.ofSeconds(5));
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      // The dying instance had claimed the alerts (its delivery was under way) when it stopped.
      Instant claimedAt = Instant.now();
      int claimed = stack.adapters.alerts().claim(16, Duration.ofSeconds(2)).size();
      assertThat(claimed).as("alerts committed with the spend").isPositive();
      closeAll(firstOnly);

      AlertTestSupport.instance(
          stack, AlertTestSupport.settings(receiver, Duration.ofSeconds(30), 10), close);
      awaitNoPending(db);
      assertThat(Duration.between(claimedAt, Instant.now()))
          .as("delivered only after the dead instance's 2 s claim ran out")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
      assertThat(recorded(db, "delivered")).isEqualTo(expectedFromCounters(db));
      assertDeliveredOncePerChannel(db, receiver);
    } finally {
      closeAll(close);
    }
  }

  @Test
  void aReceiverAnswering500GetsBoundedRetriesThenTheAlertIsListedFailed() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      receiver.status = 500;
      GatewayServer s =
          AlertTestSupport.instance(
              stack, AlertTestSupport.settings(receiver, Duration.ofSeconds(20), 4), close);
      String key =
          stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.002")))).plaintext();
      enqueue(stack, 2);
      for (int i = 0; i < 2; i++) {
        assertThat(chat(stack, s, key).statusCode()).isEqualTo(200);
      }
      s.gateway().flushSettlements(Duration.ofSeconds(5));
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      awaitNoPending(db);

      HttpResponse<String> list =
          get(stack, s, "/alert/list?state=failed", GatewayStack.MASTER_KEY);
      assertThat(list.statusCode()).isEqualTo(200);
      JsonNode data = JSON.readTree(list.body()).path("data");
      assertThat(data.size()).isPositive();
      for (JsonNode a : data) {
        assertThat(a.path("state").asText()).isEqualTo("failed");
        assertThat(a.path("attempts").asInt()).isEqualTo(4);
        assertThat(a.path("last_error").asText()).contains("HTTP 500");
        String id = a.path("idempotency_id").asText();
        assertThat(receiver.at("/hook").stream().filter(r -> id.equals(r.idempotencyKey())))
            .as("one webhook call per attempt")
            .hasSize(4);
      }
      assertThat(get(stack, s, "/alert/list", key).statusCode())
          .as("a user key may not list alerts")
          .isEqualTo(403);
    } finally {
      closeAll(close);
    }
  }

  @Test
  void thresholdsFireAgainInTheNextDayAndMonth() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      GatewayServer s =
          AlertTestSupport.instance(
              stack, AlertTestSupport.settings(receiver, Duration.ofSeconds(30), 10), close);
      String key =
          stack
              .userKey(
                  "drafting",
                  List.of(
                      BudgetLimit.daily(Money.ofUsd("0.002")),
                      BudgetLimit.monthly(Money.ofUsd("0.004"))))
              .plaintext();
      for (Instant day :
          List.of(
              Instant.parse("2026-11-27T10:00:00Z"),
              Instant.parse("2026-11-28T10:00:00Z"),
              Instant.parse("2026-12-01T10:00:00Z"))) {
        stack.clock.set(day);
        enqueue(stack, 4);
        for (int i = 0; i < 4; i++) {
          assertThat(chat(stack, s, key).statusCode()).as("on %s", day).isEqualTo(200);
        }
        s.gateway().flushSettlements(Duration.ofSeconds(5));
      }
      Jdbi db = Jdbi.create(stack.adapters.dataSource());
      awaitNoPending(db);
      Map<String, TreeSet<Long>> recorded = recorded(db, "delivered");
      assertThat(recorded).isEqualTo(expectedFromCounters(db));
      assertThat(recorded.keySet())
          .as("each day and each month alerted")
          .anyMatch(k -> k.contains("DAILY|2026-11-27"))
          .anyMatch(k -> k.contains("DAILY|2026-11-28"))
          .anyMatch(k -> k.contains("DAILY|2026-12-01"))
          .anyMatch(k -> k.contains("MONTHLY|2026-11"))
          .anyMatch(k -> k.contains("MONTHLY|2026-12"));
      assertDeliveredOncePerChannel(db, receiver);
    } finally {
      closeAll(close);
    }
  }

  // --- helpers ---

  private static HttpResponse<String> chat(GatewayStack stack, GatewayServer s, String key)
      throws Exception {
    return stack
        .http()
        .send(
            HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(
      GatewayStack stack, GatewayServer s, String path, String key) throws Exception {
    return stack
        .http()
        .send(
            HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Per counter, the thresholds (basis points) its committed spend has reached. */
  static Map<String, TreeSet<Long>> expectedFromCounters(Jdbi db) {
    Map<String, TreeSet<Long>> out = new HashMap<>();
    db.useHandle(
        h ->
            h.createQuery(
                    "SELECT scope_kind || '|' || scope_id || '|' || time_window || '|' || period AS k,"
                        + " committed_nanos, limit_nanos FROM budget_counters WHERE limit_nanos > 0")
                .map(
                    (rs, ctx) -> {
                      for (long bp : List.of(2500L, 5000L, 7500L)) {
                        long amount = (rs.getLong("limit_nanos") * bp + 9_999) / 10_000;
                        if (rs.getLong("committed_nanos") >= amount) {
                          out.computeIfAbsent(rs.getString("k"), x -> new TreeSet<>()).add(bp);
                        }
                      }
                      return 0;
                    })
                .list());
    return out;
  }

  /** Per counter, the thresholds recorded in the outbox; every row must be in {@code state}. */
  static Map<String, TreeSet<Long>> recorded(Jdbi db, String state) {
    Map<String, TreeSet<Long>> out = new HashMap<>();
    db.useHandle(
        h ->
            h.createQuery(
                    "SELECT scope_kind || '|' || scope_id || '|' || time_window || '|' || period AS k,"
                        + " threshold_value, state FROM alert_outbox")
                .map(
                    (rs, ctx) -> {
                      assertThat(rs.getString("state")).isEqualTo(state);
                      out.computeIfAbsent(rs.getString("k"), x -> new TreeSet<>())
                          .add(rs.getLong("threshold_value"));
                      return 0;
                    })
                .list());
    return out;
  }

  /** Every outbox row reached the webhook and Slack exactly once (by idempotency id). */
  private static void assertDeliveredOncePerChannel(Jdbi db, Receiver receiver) throws Exception {
    long rows =
        db.withHandle(
            h -> h.createQuery("SELECT count(*) FROM alert_outbox").mapTo(Long.class).one());
    List<String> hookIds = new ArrayList<>();
    for (Receiver.Received r : receiver.at("/hook")) {
      hookIds.add(JSON.readTree(r.body()).path("idempotency_id").asText());
    }
    assertThat(hookIds).as("webhook deliveries").hasSize((int) rows).doesNotHaveDuplicates();
    assertThat(receiver.at("/slack")).as("Slack deliveries").hasSize((int) rows);
    for (Receiver.Received r : receiver.at("/slack")) {
      assertThat(JSON.readTree(r.body()).path("text").asText()).startsWith("Budget alert:");
    }
  }

  /** The HMAC verifies with the secret, not with another one, nor over a changed body. */
  private static void verifySignatures(Receiver receiver) {
    assertThat(receiver.at("/hook")).isNotEmpty();
    for (Receiver.Received r : receiver.at("/hook")) {
      assertThat(r.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
      Instant now = Instant.now();
      Duration tolerance = Duration.ofMinutes(5);
      assertThat(
              WebhookSignature.verify(
                  AlertTestSupport.SECRET, r.signature(), r.body(), now, tolerance))
          .isTrue();
      assertThat(WebhookSignature.verify("whsec-wrong", r.signature(), r.body(), now, tolerance))
          .isFalse();
      byte[] changed = r.body().clone();
      changed[changed.length - 2] ^= 1;
      assertThat(
              WebhookSignature.verify(
                  AlertTestSupport.SECRET, r.signature(), changed, now, tolerance))
          .isFalse();
    }
  }

  private static void awaitNoPending(Jdbi db) throws InterruptedException {
    await(
        () ->
            db.withHandle(
                    h ->
                        h.createQuery("SELECT count(*) FROM alert_outbox WHERE state = 'pending'")
                            .mapTo(Long.class)
                            .one())
                == 0,
        Duration.ofSeconds(15));
  }

  private static void await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void closeAll(List<AutoCloseable> close) throws Exception {
    for (AutoCloseable c : close.reversed()) {
      c.close();
    }
    close.clear();
  }
}
