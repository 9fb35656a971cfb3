package io.llmgateway.core.provider;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.embedding.EmbeddingRequest;
import java.util.Objects;

/**
 * What a provider is asked to embed: {@code request}'s inputs on {@code deployment}, all or
 * nothing. Immutable and thread-safe.
 */
public record EmbeddingCall(String requestId, Deployment deployment, EmbeddingRequest request) {
  public EmbeddingCall {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(request, "request");
  }
}
