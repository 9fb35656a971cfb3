package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayConfig.InputAllowance;
import io.llmgateway.core.embedding.EmbeddingRequest;
import java.util.List;

/**
 * An upper bound on the input tokens of an embedding request, as {@link InputTokenBound} bounds a
 * chat's: the JSON-escaped bytes of every input (a token decodes to at least one byte), plus the
 * per-request allowance and a per-message allowance for each input (a provider may add special
 * tokens to each text it embeds). Stateless.
 */
public final class EmbeddingInputBound {
  private EmbeddingInputBound() {}

  public static long of(EmbeddingRequest request, InputAllowance allowance) {
    long tokens = allowance.perRequest();
    List<String> inputs = request.inputs();
    for (int i = 0; i < inputs.size(); i++) {
      tokens += allowance.perMessage() + InputTokenBound.text(inputs.get(i));
    }
    return tokens;
  }
}
