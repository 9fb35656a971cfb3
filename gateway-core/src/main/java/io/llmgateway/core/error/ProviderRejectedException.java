package io.llmgateway.core.error;

/**
 * The upstream model provider refused the request as invalid (e.g. Bedrock ValidationException,
 * AccessDenied, ResourceNotFound). Not retried: the same request would fail again.
 */
public final class ProviderRejectedException extends GatewayException {
  private final int upstreamStatus;

  public ProviderRejectedException(int upstreamStatus, String message) {
    super(message);
    this.upstreamStatus = upstreamStatus;
  }

  /** The HTTP status the provider answered with (400, 403, 404, 424 ...). */
  public int upstreamStatus() {
    return upstreamStatus;
  }

  @Override
  public String code() {
    return "provider_rejected";
  }
}
