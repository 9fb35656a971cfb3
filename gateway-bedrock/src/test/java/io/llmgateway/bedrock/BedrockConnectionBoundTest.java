package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The provider's concurrency bound (refused at once past it, never a wait and a 502) and pooled
 * connections the far end closed while idle (never surfaced as a failed call).
 */
class BedrockConnectionBoundTest extends StubTestBase {

  @Test
  void aCallPastTheBoundIsRefusedAtOnceWith503RetryAfterAndNothingSent() throws Exception {
    ModelProvider bounded =
        Providers.bedrock(stub.settings().toBuilder().maxConnections(2).build());
    try {
      stub.enqueue(
          StubResponse.slowStream(List.of("a", "b"), Duration.ofSeconds(3), 1, 2),
          StubResponse.slowStream(List.of("a", "b"), Duration.ofSeconds(3), 1, 2));
      ChatStream one = bounded.stream(Fixtures.ask(deployment(), "one"));
      ChatStream two = bounded.stream(Fixtures.ask(deployment(), "two"));

      long start = System.nanoTime();
      assertThatThrownBy(() -> bounded.complete(Fixtures.ask(deployment(), "three")))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> {
                // 503 (UNAVAILABLE) with retry-after, certainly not billed, may fail over.
                assertThat(e.kind()).isEqualTo(ProviderUnavailableException.Kind.UNAVAILABLE);
                assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED);
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                assertThat(e.getMessage()).contains("limit of 2 concurrent Bedrock calls");
              });
      // The stub's connect timeout is 2 s: the old pool made the caller wait that long.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
      assertThat(stub.requestCount()).isEqualTo(2);

      // A finished (or abandoned) call gives its place back.
      one.close();
      assertThat(bounded.complete(Fixtures.ask(deployment(), "four")).text())
          .contains("echo: four");
      two.close();
      for (int i = 0; i < 5; i++) {
        bounded.complete(Fixtures.ask(deployment(), "again " + i));
      }
    } finally {
      ((AutoCloseable) bounded).close();
    }
  }

  @Test
  void theDefaultBoundIsSizedFromHeapAndOpenFiles() {
    long gib = 1024L * 1024 * 1024;
    assertThat(ConnectionBound.of(gib, 20_000)).isEqualTo(8_192);
    assertThat(ConnectionBound.of(gib, 1_024)).isEqualTo(256);
    assertThat(ConnectionBound.of(4 * gib, 20_000)).isEqualTo(9_744);
    assertThat(ConnectionBound.of(64L * 1024 * 1024, 20_000)).isEqualTo(512);
    assertThat(ConnectionBound.of(1024 * 1024, 600)).isEqualTo(ConnectionBound.MIN);
    assertThat(ConnectionBound.of(gib, -1)).isEqualTo(8_192);
    // This process's own figure is one of those.
    assertThat(ConnectionBound.auto()).isBetween(ConnectionBound.MIN, ConnectionBound.MAX);
  }

  @Test
  void aPooledConnectionTheServerClosedWhileIdleIsRetriedOnAFreshOne() throws Exception {
    // Closes idle connections after 500 ms: inside the pool's 2 s inactivity check, and long
    // enough that a fresh connection on a loaded machine is not closed before its request goes
    // out (at 150 ms a full parallel build once saw the retry's own connection closed).
    try (IdleClosingProxy proxy = new IdleClosingProxy(stub.endpoint(), Duration.ofMillis(500))) {
      ModelProvider viaProxy =
          Providers.bedrock(stub.settings().toBuilder().endpoint(proxy.endpoint()).build());
      try {
        for (int i = 0; i < 4; i++) {
          assertThat(viaProxy.complete(Fixtures.ask(deployment(), "call " + i)).text())
              .contains("echo: call " + i);
          try (ChatStream s = viaProxy.stream(Fixtures.ask(deployment(), "stream " + i))) {
            assertThat(text(drain(s))).isEqualTo("echo: stream " + i);
          }
          Thread.sleep(1_200);
        }
      } finally {
        ((AutoCloseable) viaProxy).close();
      }
      assertThat(proxy.closedIdle()).isGreaterThanOrEqualTo(3);
      assertThat(stub.requestCount()).isEqualTo(8);
    }
  }
}
