package io.llmgateway.core;

/**
 * Observes a request's admission, e.g. to send rate-limit headers before a streamed answer's first
 * byte. {@link Gateway} calls it once per request, on the caller's thread, after admission
 * succeeded and before the upstream call; a refused request never reaches it. If it throws, the
 * request is settled as an error (nothing charged) and the exception propagates. Implementations
 * used across requests must be thread-safe.
 */
@FunctionalInterface
public interface AdmissionListener {

  /** A listener that does nothing. */
  AdmissionListener NONE = grant -> {};

  void admitted(AdmissionGrant grant);
}
