package io.llmgateway.core.error;

import io.llmgateway.core.identity.Principal;
import java.util.Objects;
import java.util.Optional;

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
  private final Optional<Principal.Keyed> key;

  public AuthenticationException(Reason reason, String message) {
    this(reason, message, Optional.empty());
  }

  /**
   * @param key the key that was found but may not be used (blocked or expired), so the request log
   *     can say whose request was refused; never shown to the client
   */
  public AuthenticationException(Reason reason, String message, Optional<Principal.Keyed> key) {
    super(message);
    this.reason = reason;
    this.key = Objects.requireNonNull(key, "key");
  }

  public Reason reason() {
    return reason;
  }

  /** The known key refused (blocked or expired); empty for a missing or unknown key. */
  public Optional<Principal.Keyed> key() {
    return key;
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
