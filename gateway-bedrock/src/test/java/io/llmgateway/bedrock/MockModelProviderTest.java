package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The offline mock: deterministic, capped, realistic usage, configurable latency, cheap. */
class MockModelProviderTest {
  private final ModelProvider mock = Providers.mock(MockSettings.defaults());

  private static ChatRequest ask(String text) {
    return ChatRequest.of("model-cheap", text);
  }

  @Test
  void answersTheSamePromptTheSameWayAndDifferentPromptsDifferently() {
    var d = Fixtures.deployment("mock");
    String a1 = mock.complete(Fixtures.request(d, ask("alpha"), 50)).text().orElseThrow();
    String a2 = mock.complete(Fixtures.request(d, ask("alpha"), 50)).text().orElseThrow();
    String b = mock.complete(Fixtures.request(d, ask("beta"), 50)).text().orElseThrow();

    assertThat(a1).isEqualTo(a2).isNotEqualTo(b);
  }

  @Test
  void countsInputTokensFromThePromptSizeAndOutputTokensFromTheWords() {
    var d = Fixtures.deployment("mock");
    ChatResponse small = mock.complete(Fixtures.request(d, ask("x".repeat(40)), 50));
    ChatResponse large = mock.complete(Fixtures.request(d, ask("x".repeat(4000)), 50));

    assertThat(small.usage().inputTokens()).isBetween(10L, 20L);
    assertThat(large.usage().inputTokens()).isBetween(1000L, 1010L);
    assertThat(small.usage().outputTokens()).isEqualTo(16);
    assertThat(small.text().orElseThrow().split(" ")).hasSize(16);
    assertThat(small.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void honoursTheOutputCap() {
    ChatResponse r = mock.complete(Fixtures.request(Fixtures.deployment("mock"), ask("hello"), 3));
    assertThat(r.usage().outputTokens()).isEqualTo(3);
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void callsTheRequiredToolWithEmptyArguments() {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("weather?")))
            .tools(List.of(new ToolDefinition("get_weather", Optional.empty(), "{}")))
            .toolChoice(ToolChoice.REQUIRED)
            .build();
    ChatResponse resp = mock.complete(Fixtures.request(Fixtures.deployment("mock"), r, 10));
    assertThat(resp.toolCalls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo("get_weather");
              assertThat(c.argumentsJson()).isEqualTo("{}");
            });
    assertThat(resp.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void answersJsonWhenAskedForJson() {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("json")))
            .responseFormat(new ResponseFormat.JsonObject())
            .build();
    var d = Fixtures.deployment("mock");
    String blocking = mock.complete(Fixtures.request(d, r, 10)).text().orElseThrow();
    StringBuilder streamed = new StringBuilder();
    try (ChatStream s = mock.stream(Fixtures.request(d, r, 10))) {
      for (var c = s.next(); c.isPresent(); c = s.next()) {
        if (c.get() instanceof ChatChunk.TextDelta t) {
          streamed.append(t.text());
        }
      }
    }
    assertThat(blocking).startsWith("{\"answer\":\"").endsWith("\"}");
    assertThat(streamed.toString()).isEqualTo(blocking);
  }

  @Test
  void waitsTheConfiguredLatencyBeforeTheFirstTokenAndBetweenTokens() {
    ModelProvider slow =
        Providers.mock(new MockSettings(Duration.ofMillis(100), Duration.ofMillis(20), 6));
    long start = System.nanoTime();
    try (ChatStream s =
        slow.stream(Fixtures.request(Fixtures.deployment("mock"), ask("hi"), 100))) {
      long firstToken = System.nanoTime();
      assertThat(Duration.ofNanos(firstToken - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(100));
      while (s.next().isPresent()) {
        // drain
      }
      assertThat(Duration.ofNanos(System.nanoTime() - firstToken))
          .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
  }

  @Test
  void leavesTheUsageOfAStreamClosedBeforeItsReportUnknown() {
    ChatStream s = mock.stream(Fixtures.request(Fixtures.deployment("mock"), ask("hi"), 100));
    s.next();
    s.next();
    s.close();
    assertThat(s.usageSoFar()).as("unknown, never estimated by the provider").isEmpty();
  }

  @Test
  void servesManyThousandRequestsPerSecondWithoutDelays() {
    var d = Fixtures.deployment("mock");
    ChatRequest r = ask("a typical short prompt for a load test of the gateway");
    for (int i = 0; i < 2_000; i++) {
      mock.complete(Fixtures.request(d, r, 64));
    }
    int n = 20_000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      try (ChatStream s = mock.stream(Fixtures.request(d, r, 64))) {
        while (s.next().isPresent()) {
          // drain
        }
      }
    }
    double perSecond = n / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    // One thread, no delays: the floor is the gateway's load-test target, with a wide margin for a
    // shared 2-core CI machine (measured numbers in docs/BEDROCK.md).
    assertThat(perSecond).isGreaterThan(2_000);
  }
}
