package io.llmgateway.bedrock;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The offline provider's embeddings: for each input a unit-length vector drawn from a generator
 * seeded by the text, so the same text always gets the same vector (and different texts almost
 * surely different ones). Lengths 256, 512 or 1024 (default), as Titan V2 offers. Usage is the
 * mock's tokenizer imitation: about four bytes per token, at least one per input. Stateless.
 */
final class MockEmbeddings {
  static final int DEFAULT_DIMENSIONS = 1024;

  private MockEmbeddings() {}

  static void check(EmbeddingRequest request) {
    int dims = request.dimensions().orElse(DEFAULT_DIMENSIONS);
    if (dims != 256 && dims != 512 && dims != 1024) {
      throw new InvalidRequestException(
          "'dimensions' must be 256, 512 or 1024 for model '" + request.model() + "'",
          "dimensions");
    }
  }

  static EmbeddingResponse embed(EmbeddingRequest request) {
    check(request);
    int dims = request.dimensions().orElse(DEFAULT_DIMENSIONS);
    List<float[]> vectors = new ArrayList<>(request.inputs().size());
    long tokens = 0;
    for (String input : request.inputs()) {
      byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
      vectors.add(vector(bytes, dims));
      tokens += Math.max(1, (bytes.length + 3) / 4);
    }
    return new EmbeddingResponse(vectors, TokenUsage.reported(tokens, 0));
  }

  static float[] vector(byte[] text, int dims) {
    long seed = 1125899906842597L;
    for (byte b : text) {
      seed = 31 * seed + b;
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
      norm += v[i] * v[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= scale;
    }
    return v;
  }
}
