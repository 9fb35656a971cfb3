package io.llmgateway.core.error;

/**
 * The upstream model provider refused the request as invalid (e.g. Bedrock ValidationException,
 * AccessDenied, ResourceNotFound). Not retried: the same request would fail again. A refusal
 * answered as an HTTP error is {@link Billing#NOT_BILLED}; one that arrives inside a 200 stream may
 * follow billed work ({@link Billing#MAYBE_BILLED}).
 */
public final class ProviderRejectedException extends GatewayException {
  private final int upstreamStatus;
  private final Billing billing;

  /** A refusal answered as an HTTP error status, before any work: not billed. */
  public ProviderRejectedException(int upstreamStatus, String message) {
    this(upstreamStatus, Billing.NOT_BILLED, message);
  }

  public ProviderRejectedException(int upstreamStatus, Billing billing, String message) {
    super(message);
    this.upstreamStatus = upstreamStatus;
    this.billing = java.util.Objects.requireNonNull(billing, "billing");
  }

  /** Whether the provider may have billed the refused call. */
  public Billing billing() {
    return billing;
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
