package io.llmgateway.bedrock;

import io.llmgateway.core.provider.ModelProvider;

/**
 * The module's one public factory: the Bedrock provider and the offline mock provider. The Bedrock
 * provider also implements {@link AutoCloseable}; close it on shutdown to release its HTTP clients.
 * Thread-safe.
 */
public final class Providers {
  private Providers() {}

  /** A provider named {@code bedrock} over Converse/ConverseStream. */
  public static ModelProvider bedrock(BedrockSettings settings) {
    return new BedrockModelProvider(settings);
  }

  /** A provider named {@code mock}: deterministic, offline and cheap. */
  public static ModelProvider mock(MockSettings settings) {
    return new MockModelProvider(settings);
  }
}
