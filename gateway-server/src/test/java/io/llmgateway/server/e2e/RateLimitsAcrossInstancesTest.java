package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * RPM, TPM and parallel limits hold across instances although each instance counts in memory
 * against slices and slot leases it takes from PostgreSQL (docs/CORE.md, "Rate limits"). Three
 * gateway instances on one database, each with its own pool and limiter; 300 requests at once,
 * spread evenly over them, on one key. The clock does not move, so all fall in one minute.
 *
 * <p>The documented precision: never more than the limit is admitted; fewer only by what the other
 * two instances hold unused when the database's allowance runs out, at most one largest slice (1/16
 * of the limit) each. Counting per instance only would admit up to three times the limit.
 */
@Tag("alone") // gateway-server/pom.xml: run in a JVM of its own, after the others
class RateLimitsAcrossInstancesTest {
  static final int INSTANCES = 3;
  static final int REQUESTS = 300;

  /** "hi" is 2 bytes: the input bound is 64 (per request) + 16 (per message) + 2 tokens. */
  static final String HI_100 =
      "{\"model\":\"model-balanced\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static final long HI_100_ESTIMATE = 64 + 16 + 2 + 100;

  static GatewayStack stack;
  static List<GatewayServer> instances;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
    instances = new ArrayList<>(List.of(stack.server));
    for (int i = 1; i < INSTANCES; i++) {
      instances.add(stack.anotherInstance(Providers.bedrock(stack.stub.settings())));
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void aFreshMinute() {
    Instant next =
        stack.clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    stack.clock.set(next.plusSeconds(5));
    stack.stub.reset();
  }

  @Test
  void rpmSixtyAdmitsAtMostSixtyOf300ConcurrentRequestsOnThreeInstances() throws Exception {
    long rpm = 60;
    String key = keyWith(new RateLimits(OptionalLong.of(rpm), OptionalLong.empty(), none()));

    List<HttpResponse<String>> answers = sendAtOnce(key, REQUESTS);

    List<HttpResponse<String>> admitted = ok(answers);
    long slack = (INSTANCES - 1) * Math.max(1, rpm / 16);
    System.out.printf("RateLimitsAcrossInstancesTest: rpm %d admitted %d%n", rpm, admitted.size());
    assertThat(admitted.size()).as("admitted").isLessThanOrEqualTo((int) rpm);
    assertThat(admitted.size()).as("admitted").isGreaterThanOrEqualTo((int) (rpm - slack));
    assertThat(stack.stub.requestCount()).as("upstream calls").isEqualTo(admitted.size());
    assertRefusedWith429(answers);
    for (HttpResponse<String> r : admitted) {
      long remaining = Long.parseLong(header(r, "x-ratelimit-remaining-requests"));
      assertThat(remaining).as("remaining requests").isBetween(0L, rpm - 1);
    }
    // Every instance now refuses: the minute's allowance is gone everywhere.
    for (GatewayServer on : instances) {
      assertThat(send(on, key).statusCode()).as("after the burst").isEqualTo(429);
    }
  }

  @Test
  void tpmHoldsAcrossInstances() throws Exception {
    long fits = 20; // requests whose estimates fit the limit
    long tpm = fits * HI_100_ESTIMATE;
    String key = keyWith(new RateLimits(OptionalLong.empty(), OptionalLong.of(tpm), none()));
    // Each answer uses exactly its estimate, so a release frees nothing and the bound below
    // holds however the requests interleave.
    for (int i = 0; i < REQUESTS; i++) {
      stack.stub.enqueue(StubResponse.text("ok", (int) HI_100_ESTIMATE - 100, 100));
    }

    List<HttpResponse<String>> answers = sendAtOnce(key, REQUESTS);

    List<HttpResponse<String>> admitted = ok(answers);
    long slackRequests = (INSTANCES - 1) * ((tpm / 16) / HI_100_ESTIMATE + 1);
    System.out.printf("RateLimitsAcrossInstancesTest: tpm %d admitted %d%n", tpm, admitted.size());
    assertThat(admitted.size()).as("admitted").isLessThanOrEqualTo((int) fits);
    assertThat(admitted.size()).as("admitted").isGreaterThanOrEqualTo((int) (fits - slackRequests));
    assertRefusedWith429(answers);
  }

  @Test
  void parallelHoldsAcrossInstances() throws Exception {
    long parallel = 6;
    String key =
        keyWith(
            new RateLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(parallel)));
    // Answers slow enough that every request is decided while the admitted ones still run.
    Duration slow = Duration.ofSeconds(5);
    for (int i = 0; i < 60; i++) {
      stack.stub.enqueue(StubResponse.delayed(slow, StubResponse.text("ok", 8, 2)));
    }

    long started = System.nanoTime();
    List<HttpResponse<String>> answers = sendAtOnce(key, 60);

    List<HttpResponse<String>> admitted = ok(answers);
    // Else a slot was free again and a later admission was right: the bound would not apply.
    assertThat(refusedBy)
        .as("every refusal came back before an admitted request could have finished")
        .allSatisfy(t -> assertThat(t).isLessThan(started + slow.toNanos()));
    System.out.printf(
        "RateLimitsAcrossInstancesTest: parallel %d admitted %d%n", parallel, admitted.size());
    assertThat(admitted.size()).as("admitted").isLessThanOrEqualTo((int) parallel);
    assertThat(admitted.size()).as("admitted").isGreaterThanOrEqualTo(1);
    assertRefusedWith429(answers);
  }

  /** When each refusal of the last {@link #sendAtOnce} came back, in {@link System#nanoTime()}. */
  private final List<Long> refusedBy = java.util.Collections.synchronizedList(new ArrayList<>());

  private List<HttpResponse<String>> sendAtOnce(String key, int n) throws Exception {
    refusedBy.clear();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        GatewayServer on = instances.get(i % INSTANCES);
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  HttpResponse<String> r = send(on, key);
                  if (r.statusCode() == 429) {
                    refusedBy.add(System.nanoTime());
                  }
                  return r;
                }));
      }
      go.countDown();
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : futures) {
        answers.add(f.get());
      }
      return answers;
    }
  }

  private HttpResponse<String> send(GatewayServer on, String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(on.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(HI_100, StandardCharsets.UTF_8))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static List<HttpResponse<String>> ok(List<HttpResponse<String>> answers) {
    return answers.stream().filter(r -> r.statusCode() == 200).toList();
  }

  private static void assertRefusedWith429(List<HttpResponse<String>> answers) {
    for (HttpResponse<String> r : answers) {
      assertThat(r.statusCode()).as("status of %s", r.body()).isIn(200, 429);
    }
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
  }

  private static OptionalLong none() {
    return OptionalLong.empty();
  }

  private static String keyWith(RateLimits limits) {
    return stack.key("coding", s -> withLimits(s, limits)).plaintext();
  }

  private static KeySpec withLimits(KeySpec s, RateLimits limits) {
    return new KeySpec(
        s.userId(),
        s.teamId(),
        s.alias(),
        s.role(),
        s.models(),
        s.budgets(),
        limits,
        s.expiresAt(),
        s.duration(),
        s.blocked(),
        s.metadata(),
        s.key());
  }
}
