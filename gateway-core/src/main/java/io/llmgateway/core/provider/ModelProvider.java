package io.llmgateway.core.provider;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.InvalidRequestException;
import java.time.Duration;
import java.util.Optional;

/**
 * The port to a model provider (Bedrock, the offline mock). Implementations are thread-safe and
 * report failures as {@code GatewayException}s: {@code ProviderRejectedException} for requests the
 * provider refuses, {@code ProviderUnavailableException} for throttling, outages and timeouts.
 */
public interface ModelProvider {

  /** The provider name deployments refer to, e.g. {@code bedrock} or {@code mock}. */
  String name();

  /** Answers in one piece. */
  ChatResponse complete(ProviderRequest request);

  /**
   * Starts a streamed answer. Failures before the first chunk are thrown here, so a caller can fail
   * over to another deployment; later failures come from {@link ChatStream#next()}.
   */
  ChatStream stream(ProviderRequest request);

  /**
   * Embeds every input of {@code call} in one answer, all or nothing (a provider that must split
   * the inputs into several upstream calls fails the whole request if one fails). Providers and
   * models without embeddings refuse before calling anything: nothing is billed.
   */
  default EmbeddingResponse embed(EmbeddingCall call) {
    checkEmbedding(call.deployment(), call.request());
    throw new IllegalStateException(name() + " checks embeddings but does not serve them");
  }

  /**
   * Refuses, before admission (so a bad request holds no money and writes no spend), an embedding
   * request this deployment cannot serve: a model that embeds nothing, a vector length it lacks.
   */
  default void checkEmbedding(Deployment deployment, EmbeddingRequest request) {
    throw new InvalidRequestException(
        "model '" + request.model() + "' does not serve embeddings", "model");
  }

  /** A cheap liveness probe of one deployment, over the same code path as real traffic. */
  HealthStatus probe(Deployment deployment);

  /**
   * The longest one call ({@link #complete} or a whole {@link #stream}) can take before the
   * provider gives up on it, or empty if it does not bound its calls. The {@code Gateway} refuses
   * to start when {@code maxAttempts} such calls could outlast a reservation, because the sweeper
   * would then charge and free a request that is still running.
   */
  default Optional<Duration> maxCallDuration() {
    return Optional.empty();
  }

  /**
   * The input tokens {@code request} would be billed on its deployment, counted by the provider
   * without running the model (Bedrock's CountTokens, for Claude models), or empty if this provider
   * or model cannot count. Never charged.
   */
  default java.util.OptionalLong countTokens(ProviderRequest request) {
    return java.util.OptionalLong.empty();
  }
}
