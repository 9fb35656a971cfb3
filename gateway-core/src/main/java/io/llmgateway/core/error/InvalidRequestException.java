package io.llmgateway.core.error;

import java.util.Optional;

/** The request itself is wrong: a bad field, an unsupported parameter, a value out of range. */
public final class InvalidRequestException extends GatewayException {
  private final String param;

  public InvalidRequestException(String message) {
    this(message, null);
  }

  /**
   * @param param the offending request field (OpenAI's {@code param}), or null when not one field
   */
  public InvalidRequestException(String message, String param) {
    super(message);
    this.param = param;
  }

  public Optional<String> param() {
    return Optional.ofNullable(param);
  }

  @Override
  public String code() {
    return "invalid_request";
  }
}
