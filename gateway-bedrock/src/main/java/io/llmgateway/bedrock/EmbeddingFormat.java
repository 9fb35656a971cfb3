package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The InvokeModel body and answer of one Bedrock embedding model family, chosen by the model id
 * (docs/BEDROCK.md, "Embeddings"). Each maps a batch of inputs to one call's body and reads the
 * vectors and the input-token count back. Stateless.
 */
sealed interface EmbeddingFormat {
  /** The most inputs one InvokeModel call takes. */
  int batchSize();

  /** Refuses, before any call, what the model cannot do (e.g. a vector length it lacks). */
  void check(EmbeddingRequest request);

  byte[] body(List<String> inputs, EmbeddingRequest request);

  /** One vector per input of the batch, in order; throws if the answer has another shape. */
  List<float[]> vectors(JsonNode answer, int expected);

  /** The input tokens the answer reports (its body or Bedrock's token-count header), if any. */
  OptionalLong inputTokens(JsonNode answer, String tokenCountHeader);

  /** The format for {@code modelId} (region prefix allowed), or empty if it is no embedder. */
  static Optional<EmbeddingFormat> of(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    if (id.contains("amazon.titan-embed-text-v2")) {
      return Optional.of(new TitanFormat());
    }
    if (id.contains("cohere.embed-")) {
      return Optional.of(new CohereFormat());
    }
    return Optional.empty();
  }
}

/**
 * Amazon Titan Text Embeddings V2: {@code {inputText, dimensions, normalize}}, one text per call;
 * answers {@code {embedding: [...], inputTextTokenCount}}. Lengths 256, 512 or 1024 (default).
 */
record TitanFormat() implements EmbeddingFormat {
  static final List<Integer> DIMENSIONS = List.of(256, 512, 1024);

  @Override
  public int batchSize() {
    return 1;
  }

  @Override
  public void check(EmbeddingRequest request) {
    if (request.dimensions().isPresent() && !DIMENSIONS.contains(request.dimensions().getAsInt())) {
      throw new InvalidRequestException(
          "'dimensions' must be 256, 512 or 1024 for model '" + request.model() + "'",
          "dimensions");
    }
  }

  @Override
  public byte[] body(List<String> inputs, EmbeddingRequest request) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("inputText", inputs.get(0));
    b.put("dimensions", request.dimensions().orElse(1024));
    // OpenAI's vectors are unit length; so are Titan's with normalize (its default too).
    b.put("normalize", true);
    return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public List<float[]> vectors(JsonNode answer, int expected) {
    return List.of(EmbeddingVectors.floats(answer.get("embedding")));
  }

  @Override
  public OptionalLong inputTokens(JsonNode answer, String tokenCountHeader) {
    JsonNode n = answer.get("inputTextTokenCount");
    return n != null && n.canConvertToLong()
        ? OptionalLong.of(n.longValue())
        : EmbeddingVectors.header(tokenCountHeader);
  }
}

/**
 * Cohere Embed v3 on Bedrock: {@code {texts: [...], input_type}}, up to 96 texts per call; answers
 * {@code {embeddings: [[...], ...]}}, the token count in Bedrock's header. Fixed length (1024):
 * {@code dimensions} is refused.
 */
record CohereFormat() implements EmbeddingFormat {
  @Override
  public int batchSize() {
    return 96;
  }

  @Override
  public void check(EmbeddingRequest request) {
    if (request.dimensions().isPresent()) {
      throw new InvalidRequestException(
          "model '" + request.model() + "' does not support 'dimensions'", "dimensions");
    }
  }

  @Override
  public byte[] body(List<String> inputs, EmbeddingRequest request) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    ArrayNode texts = b.putArray("texts");
    inputs.forEach(texts::add);
    // OpenAI's API has no input type; documents are what RAG pipelines embed most.
    b.put("input_type", "search_document");
    return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public List<float[]> vectors(JsonNode answer, int expected) {
    JsonNode all = answer.get("embeddings");
    if (all != null && all.isObject()) {
      all = all.get("float"); // the shape when embedding_types was sent
    }
    if (all == null || !all.isArray() || all.size() != expected) {
      throw new IllegalArgumentException("expected " + expected + " embeddings");
    }
    List<float[]> out = new ArrayList<>(expected);
    all.forEach(v -> out.add(EmbeddingVectors.floats(v)));
    return out;
  }

  @Override
  public OptionalLong inputTokens(JsonNode answer, String tokenCountHeader) {
    return EmbeddingVectors.header(tokenCountHeader);
  }
}

/** Reading vectors and token counts out of Bedrock's answers. */
final class EmbeddingVectors {
  private EmbeddingVectors() {}

  static float[] floats(JsonNode v) {
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw new IllegalArgumentException("an embedding must be a non-empty array of numbers");
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = v.get(i);
      if (!n.isNumber()) {
        throw new IllegalArgumentException("an embedding must be an array of numbers");
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  static OptionalLong header(String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(value.trim());
      return n >= 0 ? OptionalLong.of(n) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
