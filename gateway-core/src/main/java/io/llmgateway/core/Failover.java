package io.llmgateway.core;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.internal.Admitted;
import io.llmgateway.core.internal.ChargePolicy;
import io.llmgateway.core.internal.Settler;
import io.llmgateway.core.internal.Tracing;
import io.llmgateway.core.provider.ChatStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The one loop every admitted request (chat, stream, embeddings) fails over in. A failed attempt
 * moves on to the next deployment only if the provider certainly did not bill it ({@link
 * ChargePolicy#failsOver}); otherwise the request settles as {@link ChargePolicy} says and the
 * failure is rethrown.
 */
final class Failover {
  /** One attempt of an admitted request at one deployment. */
  @FunctionalInterface
  interface Attempt<T> {
    T run(Deployment deployment, Admitted admitted);
  }

  /** What the attempt that succeeded returned, for the caller to settle (or hand settling to). */
  record Served<T>(
      Admitted admitted, Deployment deployment, T value, GatewayTracing.PhaseSpan upstream) {}

  private final Settler settler;
  private final GatewayEvents events;
  private final GatewayTracing tracing;
  private final int maxAttempts;

  Failover(Settler settler, GatewayEvents events, GatewayTracing tracing, int maxAttempts) {
    this.settler = settler;
    this.events = events;
    this.tracing = tracing;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Tells {@code listener} what admission granted, then tries deployments in failover order until
   * one answers or a failure may have been billed.
   */
  <T> Served<T> serve(
      Admitted admitted, LogicalModel model, AdmissionListener listener, Attempt<T> attempt) {
    Objects.requireNonNull(listener, "listener");
    try {
      listener.admitted(admitted.grant());
    } catch (RuntimeException e) {
      // Nothing was sent upstream: return the reservation and the permit, charge nothing.
      settler.settle(
          admitted, Optional.empty(), new ChargePolicy.Outcome.NotCalled("internal_error"));
      throw e;
    }
    List<Deployment> order = attemptOrder(model);
    for (int i = 0; ; i++) {
      Deployment d = order.get(i);
      GatewayTracing.PhaseSpan upstream = tracing.upstream(d, i + 1, admitted.outputCap());
      try {
        T value = attempt.run(d, admitted);
        // A stream's upstream span ends with the stream (SettlingStream), any other answer's now.
        if (!(value instanceof ChatStream)) {
          upstream.end();
        }
        return new Served<>(admitted, d, value, upstream);
      } catch (RuntimeException e) {
        upstream.fail(Tracing.errorType(e));
        if (e instanceof GatewayException g) {
          events.upstreamFailed(d.id(), g);
        }
        if (i + 1 < order.size() && ChargePolicy.failsOver(e)) {
          continue;
        }
        settler.settle(admitted, Optional.of(d), ChargePolicy.failed(e));
        throw e;
      }
    }
  }

  /** Settles a whole answer (not a stream) with the usage the provider reported. */
  void settleAnswered(Served<?> served, TokenUsage usage) {
    settler.settle(
        served.admitted(),
        Optional.of(served.deployment()),
        new ChargePolicy.Outcome.Answered(Optional.of(usage)));
  }

  /** Deployments in failover order, repeated if there are fewer than {@code maxAttempts}. */
  private List<Deployment> attemptOrder(LogicalModel model) {
    List<Deployment> ds = model.deployments();
    return IntStream.range(0, maxAttempts).mapToObj(i -> ds.get(i % ds.size())).toList();
  }
}
