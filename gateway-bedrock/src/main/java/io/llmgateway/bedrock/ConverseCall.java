package io.llmgateway.bedrock;

import java.util.Objects;

/**
 * One mapped request, ready for {@code /converse} or {@code /converse-stream} (the two share their
 * body): the model id for the path, the JSON body, whether the answer is the input of the synthetic
 * response-format tool ({@code jsonMode}). Immutable (the body array is never modified after
 * mapping).
 */
record ConverseCall(String modelId, byte[] body, boolean jsonMode) {
  ConverseCall {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(body, "body");
  }
}
