package io.llmgateway.core.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The upstream provider could not serve the request now: throttled, overloaded, unreachable or too
 * slow. {@link #billing()} says whether the provider may have billed the failed call; {@link
 * #retryable()} whether another attempt (or another deployment) may work. The gateway tries again
 * only when both allow it ({@code NOT_BILLED} and retryable): a request's reservation covers one
 * billed attempt.
 */
public final class ProviderUnavailableException extends GatewayException {

  /** What kind of unavailability, which decides the HTTP status (502, 503 or 504). */
  public enum Kind {
    THROTTLED,
    UNAVAILABLE,
    TIMEOUT,
    BAD_RESPONSE
  }

  private final Kind kind;
  private final Billing billing;
  private final boolean retryable;
  private final Duration retryAfter;

  public ProviderUnavailableException(
      Kind kind, Billing billing, boolean retryable, String message) {
    this(kind, billing, retryable, message, null, null);
  }

  public ProviderUnavailableException(
      Kind kind,
      Billing billing,
      boolean retryable,
      String message,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.billing = Objects.requireNonNull(billing, "billing");
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the provider may have billed the failed call (set by the provider adapter). */
  public Billing billing() {
    return billing;
  }

  public boolean retryable() {
    return retryable;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String code() {
    return switch (kind) {
      case THROTTLED -> "provider_throttled";
      case UNAVAILABLE -> "provider_unavailable";
      case TIMEOUT -> "provider_timeout";
      case BAD_RESPONSE -> "provider_bad_response";
    };
  }
}
