package io.llmgateway.core.error;

/**
 * The database (the source of truth for budgets) cannot be reached. Admission fails closed with
 * this error rather than admitting a request it cannot account for.
 */
public final class StorageUnavailableException extends GatewayException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "storage_unavailable";
  }
}
