package io.llmgateway.bedrock.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The stub's {@code POST /model/{modelId}/count-tokens} (Bedrock CountTokens), as AWS answers it:
 * only foundation-model ids of Claude models count (an inference profile id such as {@code
 * us.anthropic...} or a Nova model gets 400 ValidationException), the body must be {@code
 * {"input":{"converse":{"messages": [...], ...}}}}, and the answer is {@code {"inputTokens": n}}
 * with n what the default echo would bill for the same Converse input ({@link BillableText}, about
 * four bytes per token). Nothing is billed.
 */
final class CountTokensStub {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CountTokensStub() {}

  static boolean handles(String path) {
    return path.matches("/model/[^/]+/count-tokens");
  }

  static void answer(StubExchange x, String path) throws IOException {
    String model =
        java.net.URLDecoder.decode(path.split("/")[2], java.nio.charset.StandardCharsets.UTF_8);
    if (!model.startsWith("anthropic.")) {
      x.error(400, "ValidationException", "The provided model doesn't support counting tokens.");
      return;
    }
    JsonNode converse = x.requestJson().path("input").path("converse");
    if (!converse.isObject() || !converse.path("messages").isArray()) {
      x.error(400, "ValidationException", "input.converse.messages is required");
      return;
    }
    long billable = BillableText.bytes(JSON.writeValueAsBytes(converse));
    ObjectNode body = JSON.createObjectNode().put("inputTokens", Math.max(1, (billable + 3) / 4));
    x.json(200, body);
  }
}
