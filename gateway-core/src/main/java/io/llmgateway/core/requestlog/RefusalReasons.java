package io.llmgateway.core.requestlog;

import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.RateLimitedException;
import java.util.Optional;

/**
 * Which limit refused a request, from the core's error, as the request log shows it beside the
 * error code: {@code daily user budget}, {@code rpm key}, {@code parallel team}. Only structured
 * fields are used, never a message, so no client text reaches the log. Stateless.
 */
public final class RefusalReasons {
  private RefusalReasons() {}

  public static Optional<String> detail(GatewayException error) {
    return switch (error) {
      case BudgetExceededException b ->
          Optional.of(b.window().label() + " " + b.scope().kind().label() + " budget");
      case RateLimitedException r -> Optional.of(limit(r.limit()) + " " + r.scopeKind());
      default -> Optional.empty();
    };
  }

  private static String limit(RateLimitedException.Limit l) {
    return switch (l) {
      case REQUESTS_PER_MINUTE -> "rpm";
      case TOKENS_PER_MINUTE -> "tpm";
      case PARALLEL_REQUESTS -> "parallel";
    };
  }
}
