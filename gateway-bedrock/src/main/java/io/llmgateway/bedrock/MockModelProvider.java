package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.EmbeddingCall;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The offline provider: deterministic answers derived from the prompt (see {@link MockAnswer}),
 * never more than the output cap, realistic reported usage, configurable latency. It allocates
 * little and sleeps only for non-zero delays, so it can serve load tests. Thread-safe.
 */
final class MockModelProvider implements ModelProvider {
  static final String NAME = "mock";

  private final MockSettings settings;

  MockModelProvider(MockSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    MockAnswer a = MockAnswer.plan(request, settings.outputTokens());
    // A blocking answer arrives when the last token would have been generated.
    sleep(settings.firstTokenLatency());
    if (a.tokens() > 1) {
      sleep(settings.interTokenDelay().multipliedBy(a.tokens() - 1L));
    }
    return new ChatResponse(
        request.requestId(),
        request.request().model(),
        Instant.now(),
        a.toolCall().isPresent() ? Optional.empty() : Optional.of(a.text()),
        a.toolCall().map(List::of).orElse(List.of()),
        a.finish(),
        a.usage());
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    MockAnswer a = MockAnswer.plan(request, settings.outputTokens());
    // Like the Bedrock adapter, stream() returns once the first token is ready.
    sleep(settings.firstTokenLatency());
    return new MockChatStream(a, settings.interTokenDelay());
  }

  @Override
  public void checkEmbedding(Deployment deployment, EmbeddingRequest request) {
    MockEmbeddings.check(request);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) {
    sleep(settings.firstTokenLatency());
    return MockEmbeddings.embed(call.request());
  }

  @Override
  public HealthStatus probe(Deployment deployment) {
    return new HealthStatus(
        HealthStatus.State.HEALTHY, "mock provider is always up", Duration.ZERO, Instant.now());
  }

  static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.UNAVAILABLE,
          Billing.MAYBE_BILLED,
          false,
          "the mock call was interrupted");
    }
  }
}
