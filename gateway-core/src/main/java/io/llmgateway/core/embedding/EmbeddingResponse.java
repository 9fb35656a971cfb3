package io.llmgateway.core.embedding;

import io.llmgateway.core.chat.TokenUsage;
import java.util.List;
import java.util.Objects;

/**
 * One vector per input, in input order, and the tokens the provider reported for all of them (input
 * only: embeddings produce no output tokens). The arrays are never modified after the provider
 * built them.
 */
public record EmbeddingResponse(List<float[]> vectors, TokenUsage usage) {
  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
    Objects.requireNonNull(usage, "usage");
    if (usage.outputTokens() != 0) {
      throw new IllegalArgumentException("an embedding has no output tokens");
    }
  }
}
