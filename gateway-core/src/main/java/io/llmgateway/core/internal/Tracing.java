package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayTracing;
import io.llmgateway.core.error.GatewayException;

/**
 * What the core puts on its tracing spans ({@link GatewayTracing}), in one place. Constant strings
 * and primitives only: with tracing off nothing here allocates.
 */
public final class Tracing {
  private Tracing() {}

  /** The error's code (as answered to the client), or {@code internal_error}. */
  public static String errorType(Throwable e) {
    return e instanceof GatewayException g ? g.code() : "internal_error";
  }

  /** What admission decided: a lease hold or an own reservation, the cap, the rate limits. */
  public static void admitted(GatewayTracing.PhaseSpan span, Admitted admitted) {
    span.attribute(
        "gateway.admission.claim", admitted.claim() instanceof LeaseHold ? "lease" : "reservation");
    span.attribute("gateway.admission.output_cap", admitted.outputCap());
    span.attribute("gateway.admission.input_bound", admitted.inputBound());
    span.attribute("gateway.rate_limit.permit", admitted.permit().isPresent() ? "taken" : "none");
    span.end();
  }
}
