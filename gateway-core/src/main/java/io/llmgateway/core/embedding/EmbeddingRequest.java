package io.llmgateway.core.embedding;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A request for one embedding vector per input text, in the order given: the canonical form of
 * OpenAI's {@code POST /v1/embeddings} body. {@code dimensions} is the vector length asked for, if
 * any (a provider refuses lengths its model cannot produce). Immutable and thread-safe.
 */
public record EmbeddingRequest(String model, List<String> inputs, OptionalInt dimensions) {
  public EmbeddingRequest {
    Objects.requireNonNull(model, "model");
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("an embedding request needs at least one input");
    }
    Objects.requireNonNull(dimensions, "dimensions");
    if (dimensions.isPresent() && dimensions.getAsInt() < 1) {
      throw new IllegalArgumentException("dimensions must be positive");
    }
  }

  /** One input, the model's default vector length. */
  public static EmbeddingRequest of(String model, String input) {
    return new EmbeddingRequest(model, List.of(input), OptionalInt.empty());
  }
}
