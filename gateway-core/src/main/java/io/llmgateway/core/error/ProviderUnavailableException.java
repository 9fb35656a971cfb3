package io.llmgateway.core.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The upstream provider could not serve the request now: throttled, overloaded, unreachable or too
 * slow. {@link #retryable()} says whether another attempt (or another deployment) may work.
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
  private final boolean retryable;
  private final Duration retryAfter;

  public ProviderUnavailableException(Kind kind, boolean retryable, String message) {
    this(kind, retryable, message, null, null);
  }

  public ProviderUnavailableException(
      Kind kind, boolean retryable, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
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
