package io.llmgateway.core;

import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.spend.SpendRecord;

/**
 * Hooks the core calls as requests move through it, so the server can keep metrics without the core
 * knowing a metrics library. Every method has a no-op default. Implementations must be thread-safe
 * and fast; they are called on request threads.
 */
public interface GatewayEvents {

  GatewayEvents NONE = new GatewayEvents() {};

  /** A request was refused before any upstream call (auth, model, budget, rate limit, input). */
  default void refused(String model, GatewayException error) {}

  /** An upstream attempt failed (it may be retried on another deployment). */
  default void upstreamFailed(String deploymentId, GatewayException error) {}

  /** A request was settled and its spend record written. */
  default void settled(SpendRecord record) {}
}
