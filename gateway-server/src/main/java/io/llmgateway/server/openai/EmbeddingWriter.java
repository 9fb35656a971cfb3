package io.llmgateway.server.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.server.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * An {@link EmbeddingResponse} in OpenAI's shape: {@code {object: "list", data: [{object:
 * "embedding", index, embedding}], model, usage: {prompt_tokens, total_tokens}}}, each embedding a
 * float array or (base64) the little-endian float32 bytes base64-encoded, as OpenAI sends them.
 * Thread-safe.
 */
final class EmbeddingWriter {
  private final Json json;

  EmbeddingWriter(Json json) {
    this.json = json;
  }

  byte[] write(String model, EmbeddingResponse r, EmbeddingRequestParser.Encoding encoding) {
    return json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          List<float[]> vectors = r.vectors();
          for (int i = 0; i < vectors.size(); i++) {
            g.writeStartObject();
            g.writeStringField("object", "embedding");
            g.writeNumberField("index", i);
            g.writeFieldName("embedding");
            vector(g, vectors.get(i), encoding);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeStringField("model", model);
          g.writeObjectFieldStart("usage");
          g.writeNumberField("prompt_tokens", r.usage().promptTokens());
          g.writeNumberField("total_tokens", r.usage().totalTokens());
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void vector(JsonGenerator g, float[] v, EmbeddingRequestParser.Encoding encoding)
      throws IOException {
    if (encoding == EmbeddingRequestParser.Encoding.BASE64) {
      ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        bytes.putFloat(f);
      }
      g.writeString(Base64.getEncoder().encodeToString(bytes.array()));
      return;
    }
    g.writeStartArray();
    for (float f : v) {
      g.writeNumber(f);
    }
    g.writeEndArray();
  }
}
