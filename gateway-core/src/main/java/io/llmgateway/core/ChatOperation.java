package io.llmgateway.core;

import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.Admission;
import io.llmgateway.core.internal.Admitted;
import io.llmgateway.core.internal.Tracing;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A chat request answered in one piece, and the path every chat request (whole or streamed) takes
 * to its upstream call: authorize, admit (with the exact input count when the bytes would refuse),
 * then {@link Failover}.
 */
final class ChatOperation {
  private final Routing routing;
  private final Admission admission;
  private final TokenCounting counting;
  private final Failover failover;
  private final GatewayEvents events;
  private final GatewayTracing tracing;
  private final Clock clock;

  ChatOperation(
      Routing routing,
      Admission admission,
      TokenCounting counting,
      Failover failover,
      GatewayEvents events,
      GatewayTracing tracing,
      Clock clock) {
    this.routing = routing;
    this.admission = admission;
    this.counting = counting;
    this.failover = failover;
    this.events = events;
    this.tracing = tracing;
    this.clock = clock;
  }

  /** Answers {@code request} in one piece and settles it with the usage the provider reported. */
  ChatResponse complete(
      Principal principal, ChatRequest request, String requestId, AdmissionListener listener) {
    Failover.Served<ChatResponse> served =
        call(principal, request, requestId, listener, ModelProvider::complete);
    ChatResponse response = served.value();
    tracing.answered(response);
    failover.settleAnswered(served, response.usage());
    return response;
  }

  /**
   * Authorizes and admits a chat request, then sends it with {@code send} to deployments in
   * failover order, at the output cap admission granted. The caller settles what is served.
   */
  <T> Failover.Served<T> call(
      Principal principal,
      ChatRequest request,
      String requestId,
      AdmissionListener listener,
      BiFunction<ModelProvider, ProviderRequest, T> send) {
    Objects.requireNonNull(listener, "listener");
    tracing.request("chat", request);
    LogicalModel model = routing.authorize(principal, request.model());
    GatewayTracing.PhaseSpan admitting = tracing.start(GatewayTracing.Phase.ADMISSION);
    Admitted admitted;
    try {
      admitted = admit(principal, requestId, model, request);
    } catch (RuntimeException e) {
      admitting.fail(Tracing.errorType(e));
      throw e;
    }
    Tracing.admitted(admitting, admitted);
    return failover.serve(
        admitted,
        model,
        listener,
        (d, a) ->
            send.apply(
                routing.provider(d), new ProviderRequest(requestId, d, request, a.outputCap())));
  }

  private Admitted admit(
      Principal principal, String requestId, LogicalModel model, ChatRequest request) {
    try {
      return admission.admit(
          principal,
          requestId,
          model,
          request,
          clock.instant(),
          () -> counting.exactInput(model, request));
    } catch (GatewayException e) {
      events.refused(model.name(), e);
      throw e;
    }
  }
}
