package io.llmgateway.server.boot;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;

/**
 * Serves another provider's deployments: in demo mode the mock provider answers for the {@code
 * bedrock} deployments of {@code config/models.yaml}, so the same models file runs offline.
 * Thread-safe.
 */
final class NamedProvider implements ModelProvider {
  private final String name;
  private final ModelProvider delegate;

  NamedProvider(String name, ModelProvider delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    return delegate.complete(request);
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    return delegate.stream(request);
  }

  @Override
  public void checkEmbedding(
      Deployment deployment, io.llmgateway.core.embedding.EmbeddingRequest request) {
    delegate.checkEmbedding(deployment, request);
  }

  @Override
  public io.llmgateway.core.embedding.EmbeddingResponse embed(
      io.llmgateway.core.provider.EmbeddingCall call) {
    return delegate.embed(call);
  }

  @Override
  public HealthStatus probe(Deployment deployment) {
    return delegate.probe(deployment);
  }

  @Override
  public java.util.Optional<java.time.Duration> maxCallDuration() {
    return delegate.maxCallDuration();
  }

  @Override
  public java.util.OptionalLong countTokens(ProviderRequest request) {
    return delegate.countTokens(request);
  }
}
