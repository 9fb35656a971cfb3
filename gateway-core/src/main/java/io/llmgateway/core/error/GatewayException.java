package io.llmgateway.core.error;

/**
 * The root of every error the gateway reports to a caller. Each subtype is one precise failure; the
 * server maps them to HTTP in one exhaustive switch. Messages are safe to show a client: they never
 * contain a key, a hash, a prompt or a stack trace.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class GatewayException extends RuntimeException
    permits AuthenticationException,
        PermissionDeniedException,
        ModelNotAllowedException,
        UnknownModelException,
        BudgetExceededException,
        RateLimitedException,
        InvalidRequestException,
        NotFoundException,
        ConflictException,
        ProviderRejectedException,
        ProviderUnavailableException,
        StorageUnavailableException {

  protected GatewayException(String message) {
    super(message, null, false, false);
  }

  protected GatewayException(String message, Throwable cause) {
    // No stack trace is captured for the client-facing message; the cause keeps its own for logs.
    super(message, cause, false, false);
  }

  /** A stable machine-readable code, e.g. {@code budget_exceeded}. */
  public abstract String code();
}
