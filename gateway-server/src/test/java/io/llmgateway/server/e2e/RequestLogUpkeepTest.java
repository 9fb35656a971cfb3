package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.Sweeper;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RefusalQuery;
import io.llmgateway.core.requestlog.RequestLogQuery;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request log's upkeep on a real server and PostgreSQL: requests never wait for a stalled
 * request log, and the sweeper deletes refusals past the retention while keeping newer ones.
 */
class RequestLogUpkeepTest {
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static void call(OpenAIClient client, String model) {
    client
        .chat()
        .completions()
        .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").build());
  }

  /** The PostgreSQL refusal log behind a gate that holds every append (a stalled database). */
  static final class Stalled implements RefusalLog {
    final RefusalLog real;
    final CountDownLatch release = new CountDownLatch(1);

    Stalled(RefusalLog real) {
      this.real = real;
    }

    @Override
    public void append(List<Refusal> batch) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      real.append(batch);
    }

    @Override
    public Page<Refusal> query(RefusalQuery q) {
      return real.query(q);
    }

    @Override
    public int purgeBefore(Instant before, int limit) {
      return real.purgeBefore(before, limit);
    }
  }

  @Test
  void requestsDoNotWaitForAStalledRequestLog() {
    Stalled log = new Stalled(stack.adapters.refusalLog());
    GatewayServer server =
        GatewayServer.builder(
                ServerConfig.forTests().toBuilder().masterKey(GatewayStack.MASTER_KEY).build())
            .stores(stack.stores())
            .refusalLog(log)
            .provider(Providers.bedrock(stack.stub.settings()))
            .clock(stack.clock)
            .start();
    try {
      IssuedKey blocked = stack.key("drafting", s -> s);
      stack.admin.blockKey(Principal.MASTER, blocked.key().id(), true);
      IssuedKey narrow = stack.key("drafting", s -> s);
      IssuedKey ok = stack.key("drafting", s -> s);
      OpenAIClient okClient = client(server, ok.plaintext());
      call(okClient, "model-cheap"); // warms the server's first upstream call up
      List<Long> millis = new ArrayList<>();
      // One client each, so requests follow each other on one kept-alive connection: a refusal
      // written on the request's thread would hold the next request on that connection.
      OpenAIClient blockedClient = client(server, blocked.plaintext());
      OpenAIClient narrowClient = client(server, narrow.plaintext());
      for (int i = 0; i < 4; i++) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> call(blockedClient, "model-cheap"))
            .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> call(narrowClient, "model-reasoning"))
            .isInstanceOf(PermissionDeniedException.class);
        millis.add((System.nanoTime() - t0) / 1_000_000);
      }
      long t0 = System.nanoTime();
      call(okClient, "model-cheap");
      millis.add((System.nanoTime() - t0) / 1_000_000);

      // The writer holds a batch (for up to 10 s) and the rest wait in its queue; no request
      // waited for them (a loaded machine can be slow, but not 10 s slow).
      assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(4_000));
      assertThat(server.gateway().queuedRefusals()).isPositive();
      assertThat(server.gateway().droppedRefusals()).isZero();

      log.release.countDown();
      var refused =
          server
              .gateway()
              .admin()
              .requestLogs(
                  Principal.MASTER,
                  new RequestLogQuery(
                      Optional.empty(),
                      Optional.empty(),
                      Optional.of("drafting"),
                      Optional.empty(),
                      RequestLogQuery.Show.REFUSED,
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      PageRequest.first(100)));
      assertThat(refused.items())
          .filteredOn(e -> e.keyId().equals(Optional.of(blocked.key().id())))
          .hasSize(4);
      assertThat(refused.items())
          .filteredOn(e -> e.keyId().equals(Optional.of(narrow.key().id())))
          .hasSize(4);
      System.out.println("request latencies with the request log stalled (ms): " + millis);
    } finally {
      log.release.countDown();
      server.close();
    }
  }

  static OpenAIClient client(GatewayServer server, String key) {
    return OpenAIOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(server.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void theSweeperDeletesRefusalsPastTheRetentionAndKeepsNewerOnes() {
    Instant now = stack.clock.instant();
    // A refusal from 31 days ago (the default retention is 30) and one from 29 days ago.
    stack.adapters.refusalLog().append(List.of(old("old-31d", now.minus(Duration.ofDays(31)))));
    stack.adapters.refusalLog().append(List.of(old("kept-29d", now.minus(Duration.ofDays(29)))));
    IssuedKey narrow = stack.key("drafting", s -> s);
    assertThatThrownBy(() -> call(stack.client(narrow.plaintext()), "model-reasoning"))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(ids()).contains("old-31d", "kept-29d");

    // Past the purge interval, so this sweep purges whatever the gateway's own did before.
    stack.clock.advance(Sweeper.PURGE_EVERY.plusSeconds(1));
    stack.server.sweep();

    List<String> left = ids();
    assertThat(left).doesNotContain("old-31d").contains("kept-29d");
    assertThat(
            stack
                .server
                .gateway()
                .admin()
                .requestLogs(
                    Principal.MASTER,
                    new RequestLogQuery(
                        Optional.of(narrow.key().id()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        RequestLogQuery.Show.REFUSED,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        PageRequest.first(10)))
                .items())
        .hasSize(1);
  }

  static List<String> ids() {
    return stack
        .adapters
        .refusalLog()
        .query(RefusalQuery.all(PageRequest.first(1000)))
        .items()
        .stream()
        .map(Refusal::requestId)
        .toList();
  }

  static Refusal old(String id, Instant at) {
    return new Refusal(
        id,
        at,
        401,
        "invalid_api_key",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("192.0.2.1"),
        1);
  }
}
