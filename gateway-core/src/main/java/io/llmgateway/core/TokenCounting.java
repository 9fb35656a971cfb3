package io.llmgateway.core;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.provider.ProviderRequest;
import java.util.OptionalLong;

/**
 * Asking a model's providers how many input tokens a request is. Two questions, answered by
 * different rules on purpose:
 *
 * <ul>
 *   <li>{@link #count}, for a client (Anthropic's {@code count_tokens}): any deployment's count
 *       will do, so the first one that counts answers.
 *   <li>{@link #exactInput}, for admission: the count must bound what any deployment failover may
 *       reach would bill, so every deployment must count and the largest count is taken.
 * </ul>
 */
final class TokenCounting {
  private final Routing routing;

  TokenCounting(Routing routing) {
    this.routing = routing;
  }

  /**
   * The input tokens {@code request} would be billed: authorized like a call (key, model
   * allow-list) but not admitted, because counting runs no model and costs nothing. The model's
   * deployments are asked in order; a 400 if none can count.
   */
  long count(Principal principal, ChatRequest request) {
    LogicalModel model = routing.authorize(principal, request.model());
    for (Deployment d : model.deployments()) {
      OptionalLong n = countAt(d, request);
      if (n.isPresent()) {
        return n.getAsLong();
      }
    }
    throw new InvalidRequestException(
        "token counting is not available for model '" + model.name() + "'", "model");
  }

  /**
   * The request's input tokens as every deployment of {@code model} would bill them (the largest
   * count: any of them may serve it), or empty if one of them cannot count (then only the bytes
   * bound the input).
   */
  OptionalLong exactInput(LogicalModel model, ChatRequest request) {
    long most = 0;
    for (Deployment d : model.deployments()) {
      OptionalLong n = countAt(d, request);
      if (n.isEmpty()) {
        return n;
      }
      most = Math.max(most, n.getAsLong());
    }
    return OptionalLong.of(most);
  }

  private OptionalLong countAt(Deployment d, ChatRequest request) {
    return routing
        .provider(d)
        .countTokens(new ProviderRequest(Gateway.newRequestId(), d, request, 1));
  }
}
