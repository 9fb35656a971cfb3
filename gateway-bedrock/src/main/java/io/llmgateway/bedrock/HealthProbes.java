package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs health probes and caches their outcome per deployment for a TTL: a probe is a billed call
 * that uses quota, so it must not run on every health request (reference doc 6). 200 is HEALTHY,
 * throttling DEGRADED, anything else UNHEALTHY with a detail that says what to fix. Thread-safe.
 */
final class HealthProbes {
  private record Cached(Deployment deployment, HealthStatus status) {}

  private final Duration ttl;
  private final Consumer<Deployment> probe;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  HealthProbes(Duration ttl, Consumer<Deployment> probe) {
    this(ttl, probe, Clock.systemUTC());
  }

  HealthProbes(Duration ttl, Consumer<Deployment> probe, Clock clock) {
    this.ttl = ttl;
    this.probe = probe;
    this.clock = clock;
  }

  HealthStatus status(Deployment d) {
    Cached c = cache.get(d.id());
    Instant now = clock.instant();
    // A changed deployment (new model id, region or endpoint) is probed afresh.
    if (c != null && c.deployment().equals(d) && c.status().checkedAt().plus(ttl).isAfter(now)) {
      return c.status();
    }
    HealthStatus fresh = run(d);
    cache.put(d.id(), new Cached(d, fresh));
    return fresh;
  }

  private HealthStatus run(Deployment d) {
    long start = System.nanoTime();
    HealthStatus.State state;
    String detail;
    try {
      probe.accept(d);
      state = HealthStatus.State.HEALTHY;
      detail = "answered a 1-token request on " + d.providerModelId();
    } catch (ProviderUnavailableException e) {
      state =
          e.kind() == ProviderUnavailableException.Kind.THROTTLED
              ? HealthStatus.State.DEGRADED
              : HealthStatus.State.UNHEALTHY;
      detail = e.getMessage();
    } catch (ProviderRejectedException e) {
      state = HealthStatus.State.UNHEALTHY;
      detail = rejectedDetail(d, e);
    } catch (InvalidRequestException e) {
      state = HealthStatus.State.UNHEALTHY;
      detail = "the probe request was refused locally: " + e.getMessage();
    } catch (GatewayException e) {
      state = HealthStatus.State.UNHEALTHY;
      detail = e.getMessage();
    }
    return new HealthStatus(
        state, detail, Duration.ofNanos(System.nanoTime() - start), clock.instant());
  }

  private static String rejectedDetail(Deployment d, ProviderRejectedException e) {
    String where =
        d.providerModelId() + " in " + d.region().orElse(BedrockEndpoints.DEFAULT_REGION);
    String msg = e.getMessage();
    if (msg.contains("on-demand throughput")) {
      return "HTTP 400 for "
          + where
          + ": this model needs an inference profile id (e.g. us.amazon.nova-micro-v1:0); "
          + msg;
    }
    if (e.upstreamStatus() == 404) {
      return "HTTP 404 for " + where + ": unknown model or inference profile id; " + msg;
    }
    return "HTTP " + e.upstreamStatus() + " for " + where + ": " + msg;
  }
}
