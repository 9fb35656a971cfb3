package io.llmgateway.core.error;

/** An admin operation collides with existing state (duplicate alias, team still has members). */
public final class ConflictException extends GatewayException {
  public ConflictException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "conflict";
  }
}
