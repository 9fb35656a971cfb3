package io.llmgateway.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Bedrock's CountTokens ({@code POST /model/{modelId}/count-tokens}): the Converse body's input
 * parts ({@code messages}, {@code system}, {@code toolConfig}, {@code
 * additionalModelRequestFields}) wrapped as {@code {"input":{"converse":{...}}}}, answered with
 * {@code {"inputTokens": n}}. Only Claude models count, and only by their foundation-model id: a
 * cross-region inference profile's geography prefix ({@code us.}, {@code eu.} ...) is dropped.
 * Counting runs no model and is not billed. Stateless.
 */
final class CountTokens {
  static final String OPERATION = "count-tokens";

  private static final Pattern GEO_PREFIX =
      Pattern.compile("^(us|us-gov|eu|apac|jp|au|ca|global)\\.(?=anthropic\\.)");

  private static final List<String> INPUT_FIELDS =
      List.of("messages", "system", "toolConfig", "additionalModelRequestFields");

  private CountTokens() {}

  /** Whether Bedrock counts tokens for this model id (Claude models). */
  static boolean supports(String providerModelId) {
    return !providerModelId.startsWith("arn:") && providerModelId.contains("anthropic.");
  }

  /** The count-tokens call for a mapped Converse call. */
  static ConverseCall call(ConverseCall converse) {
    ObjectNode body;
    try {
      body = (ObjectNode) Json.MAPPER.readTree(converse.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-read a Converse body", e);
    }
    ObjectNode request = Json.MAPPER.createObjectNode();
    ObjectNode input = request.putObject("input").putObject("converse");
    for (String f : INPUT_FIELDS) {
      if (body.has(f)) {
        input.set(f, body.get(f));
      }
    }
    String model = GEO_PREFIX.matcher(converse.modelId()).replaceFirst("");
    try {
      return new ConverseCall(model, Json.MAPPER.writeValueAsBytes(request), false);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a CountTokens body", e);
    }
  }

  /** {@code inputTokens} of a 200 answer. */
  static long inputTokens(JsonNode answer) {
    JsonNode n = answer.get("inputTokens");
    if (n == null || !n.canConvertToLong() || n.longValue() < 0) {
      throw new io.llmgateway.core.error.ProviderUnavailableException(
          io.llmgateway.core.error.ProviderUnavailableException.Kind.BAD_RESPONSE,
          io.llmgateway.core.error.Billing.NOT_BILLED,
          false,
          "Bedrock's CountTokens answer has no inputTokens");
    }
    return n.longValue();
  }
}
