package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ModelProvider} promises, run against each implementation: a blocking answer
 * with reported usage, a stream of deltas then one Finish then one Usage, the output cap honoured,
 * idempotent close, a healthy probe.
 */
abstract class ModelProviderContract {

  /** The provider under test, answering normally. */
  protected abstract ModelProvider provider();

  /** A deployment the provider serves. */
  protected abstract Deployment deployment();

  /** The provider's name as deployments refer to it. */
  protected abstract String expectedName();

  private ProviderRequest ask(String text, int cap) {
    return Fixtures.request(deployment(), ChatRequest.of("model-cheap", text), cap);
  }

  @Test
  void reportsItsName() {
    assertThat(provider().name()).isEqualTo(expectedName());
  }

  @Test
  void answersWithTextAndReportedUsage() {
    ChatResponse r = provider().complete(ask("Tell me about budgets please", 64));

    assertThat(r.text()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    assertThat(r.usage().source()).isEqualTo(TokenUsage.Source.REPORTED);
    assertThat(r.usage().inputTokens()).isPositive();
    assertThat(r.usage().outputTokens()).isBetween(1L, 64L);
    assertThat(r.model()).isEqualTo("model-cheap");
  }

  @Test
  void neverProducesMoreThanTheOutputCap() {
    ChatResponse r = provider().complete(ask("one two three four five six seven eight nine", 2));

    assertThat(r.usage().outputTokens()).isLessThanOrEqualTo(2);
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void streamsDeltasThenOneFinishThenOneUsage() {
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream s = provider().stream(ask("Stream a few words to me", 64))) {
      for (Optional<ChatChunk> c = s.next(); c.isPresent(); c = s.next()) {
        chunks.add(c.get());
      }
      assertThat(s.next()).isEmpty();
      assertThat(s.usageSoFar())
          .hasValueSatisfying(u -> assertThat(u.source()).isEqualTo(TokenUsage.Source.REPORTED));
    }

    assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
    int n = chunks.size();
    assertThat(chunks.subList(0, n - 2)).allMatch(c -> c instanceof ChatChunk.TextDelta);
    assertThat(chunks.get(n - 2)).isInstanceOf(ChatChunk.Finish.class);
    assertThat(chunks.get(n - 1)).isInstanceOf(ChatChunk.Usage.class);
    assertThat(((ChatChunk.Usage) chunks.get(n - 1)).usage().outputTokens()).isBetween(1L, 64L);
  }

  @Test
  void streamedTextEqualsTheBlockingAnswerForTheSamePrompt() {
    String blocking = provider().complete(ask("Same prompt, same answer", 64)).text().orElseThrow();
    StringBuilder streamed = new StringBuilder();
    try (ChatStream s = provider().stream(ask("Same prompt, same answer", 64))) {
      for (Optional<ChatChunk> c = s.next(); c.isPresent(); c = s.next()) {
        if (c.get() instanceof ChatChunk.TextDelta t) {
          streamed.append(t.text());
        }
      }
    }
    assertThat(streamed.toString()).isEqualTo(blocking);
  }

  @Test
  void closingTwiceIsHarmlessAndEndsTheStream() {
    ChatStream s = provider().stream(ask("close me early", 64));
    s.close();
    s.close();
    assertThat(s.next()).isEmpty();
    // Usage is the provider's report or unknown; a provider never makes up an estimate.
    s.usageSoFar().ifPresent(u -> assertThat(u.source()).isEqualTo(TokenUsage.Source.REPORTED));
  }

  @Test
  void probesAHealthyDeploymentAsHealthy() {
    HealthStatus h = provider().probe(deployment());
    assertThat(h.state()).isEqualTo(HealthStatus.State.HEALTHY);
    assertThat(h.detail()).isNotBlank();
  }
}
