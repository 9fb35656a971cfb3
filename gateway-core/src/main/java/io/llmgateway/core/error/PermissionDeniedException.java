package io.llmgateway.core.error;

/** The caller is authenticated but may not do this (e.g. a user key calling an admin route). */
public final class PermissionDeniedException extends GatewayException {
  public PermissionDeniedException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "permission_denied";
  }
}
