package io.llmgateway.core.error;

/** An admin operation names a team, user, key or model that does not exist. */
public final class NotFoundException extends GatewayException {
  public NotFoundException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "not_found";
  }
}
