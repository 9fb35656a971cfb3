package io.llmgateway.core;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.Admission;
import io.llmgateway.core.internal.Admitted;
import io.llmgateway.core.internal.EmbeddingInputBound;
import io.llmgateway.core.provider.EmbeddingCall;
import java.time.Clock;
import java.util.Objects;

/**
 * Embeddings under the same admission as a chat: key, model allow-list, rate limits, and the worst
 * case (every input byte a token, at the dearest input price; no output) reserved on every budget
 * before the call; failed over and settled like a whole chat answer.
 */
final class EmbedOperation {
  private final Routing routing;
  private final Admission admission;
  private final Failover failover;
  private final GatewayEvents events;
  private final GatewayConfig.InputAllowance allowance;
  private final Clock clock;

  EmbedOperation(
      Routing routing,
      Admission admission,
      Failover failover,
      GatewayEvents events,
      GatewayConfig.InputAllowance allowance,
      Clock clock) {
    this.routing = routing;
    this.admission = admission;
    this.failover = failover;
    this.events = events;
    this.allowance = allowance;
    this.clock = clock;
  }

  EmbeddingResponse embed(
      Principal principal, EmbeddingRequest request, String requestId, AdmissionListener listener) {
    Objects.requireNonNull(listener, "listener");
    LogicalModel model = routing.authorize(principal, request.model());
    // Every deployment failover may reach must take the request, before any money is held.
    for (Deployment d : model.deployments()) {
      try {
        routing.provider(d).checkEmbedding(d, request);
      } catch (GatewayException e) {
        events.refused(model.name(), e);
        throw e;
      }
    }
    long inputBound = EmbeddingInputBound.of(request, allowance);
    Admitted admitted;
    try {
      admitted = admission.admitInputOnly(principal, requestId, model, inputBound, clock.instant());
    } catch (GatewayException e) {
      events.refused(model.name(), e);
      throw e;
    }
    Failover.Served<EmbeddingResponse> served =
        failover.serve(
            admitted,
            model,
            listener,
            (d, a) -> routing.provider(d).embed(new EmbeddingCall(requestId, d, request)));
    failover.settleAnswered(served, served.value().usage());
    return served.value();
  }
}
