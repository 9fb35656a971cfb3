package io.llmgateway.server;

/**
 * Whether the storage behind the gateway can serve requests (database reachable, migrations
 * applied). Implementations are thread-safe and answer quickly.
 */
@FunctionalInterface
public interface Readiness {
  Readiness ALWAYS = () -> true;

  boolean isReady();
}
