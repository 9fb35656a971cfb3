package io.llmgateway.core.provider;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatRequest;
import java.util.Objects;

/**
 * What a provider is asked to do: answer {@code request} on {@code deployment}, producing at most
 * {@code maxOutputTokens} (the admission output cap, always sent upstream so the provider enforces
 * it). Immutable and thread-safe.
 */
public record ProviderRequest(
    String requestId, Deployment deployment, ChatRequest request, int maxOutputTokens) {
  public ProviderRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(request, "request");
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be positive");
    }
  }
}
