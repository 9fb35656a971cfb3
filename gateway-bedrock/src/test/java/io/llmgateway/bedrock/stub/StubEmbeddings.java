package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The stub's InvokeModel for embedding models, in Bedrock's wire format: Amazon Titan Text
 * Embeddings V2 ({@code {inputText, dimensions, normalize}} to {@code {embedding,
 * inputTextTokenCount, embeddingsByType}}) and Cohere Embed v3 ({@code {texts, input_type}} to
 * {@code {id, embeddings, texts, response_type}}), both with the {@code
 * X-Amzn-Bedrock-Input-Token-Count} header. Refuses what Bedrock refuses (400 ValidationException):
 * a missing or empty text, a length Titan lacks, more than 96 Cohere texts, a model that embeds
 * nothing. Bills about four bytes per token, at least one per text. Vectors are deterministic per
 * text and length, unit length.
 */
final class StubEmbeddings {
  static final List<Integer> TITAN_DIMENSIONS = List.of(256, 512, 1024);
  static final int COHERE_DIMENSIONS = 1024;
  static final int COHERE_MAX_TEXTS = 96;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StubEmbeddings() {}

  static void render(StubExchange x) throws IOException {
    JsonNode req = x.requestJson();
    String path = x.requestPathForEmbeddings();
    if (path.contains("amazon.titan-embed-text-v2")) {
      titan(x, req);
    } else if (path.contains("cohere.embed-")) {
      cohere(x, req);
    } else {
      x.error(400, "ValidationException", "stub: this model does not support InvokeModel here");
    }
  }

  private static void titan(StubExchange x, JsonNode req) throws IOException {
    JsonNode text = req.get("inputText");
    if (text == null || !text.isTextual() || text.asText().isEmpty()) {
      x.error(400, "ValidationException", "Malformed input request: inputText is required");
      return;
    }
    int dims = req.path("dimensions").asInt(1024);
    if (!TITAN_DIMENSIONS.contains(dims)) {
      x.error(400, "ValidationException", "Malformed input request: dimensions " + dims);
      return;
    }
    long tokens = tokens(text.asText());
    ArrayNode vector = vector(text.asText(), dims);
    ObjectNode body = F.objectNode();
    body.set("embedding", vector);
    body.put("inputTextTokenCount", tokens);
    body.putObject("embeddingsByType").set("float", vector.deepCopy());
    answer(x, body, tokens);
  }

  private static void cohere(StubExchange x, JsonNode req) throws IOException {
    JsonNode texts = req.get("texts");
    if (texts == null || !texts.isArray() || texts.isEmpty() || texts.size() > COHERE_MAX_TEXTS) {
      x.error(400, "ValidationException", "Malformed input request: texts must hold 1 to 96");
      return;
    }
    if (!req.path("input_type").isTextual()) {
      x.error(400, "ValidationException", "Malformed input request: input_type is required");
      return;
    }
    ObjectNode body = F.objectNode();
    body.put("id", "stub-embed");
    ArrayNode embeddings = body.putArray("embeddings");
    long tokens = 0;
    for (JsonNode t : texts) {
      embeddings.add(vector(t.asText(), COHERE_DIMENSIONS));
      tokens += tokens(t.asText());
    }
    body.set("texts", texts.deepCopy());
    body.put("response_type", "embeddings_floats");
    answer(x, body, tokens);
  }

  private static void answer(StubExchange x, ObjectNode body, long tokens) throws IOException {
    x.header("X-Amzn-Bedrock-Input-Token-Count", Long.toString(tokens));
    x.bill(F.objectNode().put("inputTokens", tokens).put("outputTokens", 0));
    x.json(200, body);
  }

  /** About four bytes per token, at least one: never above one token per byte. */
  static long tokens(String text) {
    return Math.max(1, (text.getBytes(UTF_8).length + 3) / 4);
  }

  static ArrayNode vector(String text, int dims) {
    SplittableRandom random = new SplittableRandom(text.hashCode() * 31L + dims);
    double[] v = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = random.nextDouble() * 2 - 1;
      norm += v[i] * v[i];
    }
    ArrayNode out = F.arrayNode(dims);
    for (double d : v) {
      out.add((float) (d / Math.sqrt(norm)));
    }
    return out;
  }
}
