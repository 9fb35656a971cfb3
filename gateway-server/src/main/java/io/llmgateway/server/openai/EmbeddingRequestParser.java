package io.llmgateway.server.openai;

import static io.llmgateway.server.http.Fields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.server.http.Fields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An OpenAI embeddings request body ({@code POST /v1/embeddings}) to the canonical {@link
 * EmbeddingRequest} plus the answer's encoding. {@code input} is a string or an array of strings
 * (each non-empty, at most {@link #MAX_INPUTS}); token arrays are refused (the gateway cannot turn
 * OpenAI's token ids into text for Bedrock). A field other than {@code input}, {@code model},
 * {@code dimensions}, {@code encoding_format} and {@code user} is refused, as on the chat route, so
 * a client cannot choose the upstream. Stateless.
 */
final class EmbeddingRequestParser {
  /** OpenAI's own limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private static final Set<String> FIELDS =
      Set.of("input", "model", "dimensions", "encoding_format", "user");

  /** What the client gets back: float arrays, or base64 of little-endian float32 as OpenAI does. */
  enum Encoding {
    FLOAT,
    BASE64
  }

  record Parsed(EmbeddingRequest request, Encoding encoding) {}

  Parsed parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw invalid("unknown parameter '" + Fields.clip(f) + "'", f);
      }
    }
    String model = Fields.requiredString(body, "model", "model");
    if (model.isBlank() || model.length() > 256) {
      throw invalid("'model' must be 1 to 256 characters", "model");
    }
    List<String> inputs = inputs(Fields.required(body, "input", "input"));
    OptionalInt dimensions = Fields.optionalInt(body, "dimensions", 1, 65_536);
    Encoding encoding =
        switch (Fields.optionalString(body, "encoding_format", "encoding_format").orElse("float")) {
          case "float" -> Encoding.FLOAT;
          case "base64" -> Encoding.BASE64;
          default ->
              throw invalid("'encoding_format' must be 'float' or 'base64'", "encoding_format");
        };
    // Accepted for OpenAI compatibility; the spend log already names the key and its user.
    Fields.optionalString(body, "user", "user");
    return new Parsed(new EmbeddingRequest(model, inputs, dimensions), encoding);
  }

  private static List<String> inputs(JsonNode input) {
    if (input.isTextual()) {
      return List.of(text(input, "input"));
    }
    if (!input.isArray()) {
      throw invalid("'input' must be a string or an array of strings", "input");
    }
    if (input.isEmpty()) {
      throw invalid("'input' must not be an empty array", "input");
    }
    if (input.size() > MAX_INPUTS) {
      throw invalid("'input' must hold at most " + MAX_INPUTS + " strings", "input");
    }
    List<String> out = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode v = input.get(i);
      if (v.isNumber() || v.isArray()) {
        throw invalid(
            "token arrays are not supported as 'input': send the text as strings", "input");
      }
      out.add(text(v, "input[" + i + "]"));
    }
    return out;
  }

  private static String text(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw invalid("'" + path + "' must be a string", "input");
    }
    if (v.textValue().isEmpty()) {
      throw invalid("'" + path + "' must not be empty", "input");
    }
    return v.textValue();
  }
}
