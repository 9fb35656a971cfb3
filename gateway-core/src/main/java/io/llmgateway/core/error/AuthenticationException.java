package io.llmgateway.core.error;

/** The presented credential is missing, unknown, expired or blocked. */
public final class AuthenticationException extends GatewayException {

  /** Why authentication failed. The message to a client is deliberately the same for most. */
  public enum Reason {
    MISSING,
    UNKNOWN,
    EXPIRED,
    BLOCKED
  }

  private final Reason reason;

  public AuthenticationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String code() {
    return switch (reason) {
      case MISSING -> "missing_api_key";
      case UNKNOWN -> "invalid_api_key";
      case EXPIRED -> "expired_api_key";
      case BLOCKED -> "blocked_api_key";
    };
  }
}
