package io.llmgateway.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server treats connections and callers before any route runs. Immutable; build one with
 * {@link #builder()}.
 *
 * @param idleTimeout how long an idle keep-alive connection stays open, and the longest pause
 *     between bytes of a request's headers ({@code GATEWAY_IDLE_TIMEOUT_SECONDS}, default 330 s:
 *     longer than the ALB's 300 s, as AWS asks, so the load balancer, not the server, closes idle
 *     connections and never forwards a request onto one the server is closing)
 * @param requestTimeout the longest a request's body may take to arrive, and the longest any read
 *     or write of a request in progress may stall ({@code GATEWAY_REQUEST_TIMEOUT_SECONDS}, default
 *     30 s; 408 when a body is too slow)
 * @param sseHeartbeat how often a stream with nothing to say sends the SSE comment {@code : ping}
 *     ({@code GATEWAY_SSE_HEARTBEAT_SECONDS}, default 15 s), so no proxy times it out while the
 *     model thinks
 * @param trustedProxies CIDRs whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are
 *     believed ({@code GATEWAY_TRUSTED_PROXIES}; empty: none, the socket's peer is the client)
 * @param keyFailuresPerMinute failed API-key attempts one client address may make per minute before
 *     further unknown keys are refused with 429 ({@code GATEWAY_KEY_FAILURES_PER_MINUTE}, default
 *     30, per instance)
 * @param metricsToken bearer token {@code /metrics} requires ({@code GATEWAY_METRICS_TOKEN}; empty:
 *     open, for a scraper inside the VPC)
 */
public record HttpSettings(
    Duration idleTimeout,
    Duration requestTimeout,
    Duration sseHeartbeat,
    List<String> trustedProxies,
    int keyFailuresPerMinute,
    Optional<ServerConfig.Secret> metricsToken) {
  public static final HttpSettings DEFAULT = builder().build();

  public HttpSettings {
    positive("idle timeout", idleTimeout);
    positive("request timeout", requestTimeout);
    positive("SSE heartbeat", sseHeartbeat);
    trustedProxies = List.copyOf(trustedProxies);
    if (keyFailuresPerMinute < 1) {
      throw new IllegalArgumentException("key failures per minute must be positive");
    }
    Objects.requireNonNull(metricsToken, "metricsToken");
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.idleTimeout = idleTimeout;
    b.requestTimeout = requestTimeout;
    b.sseHeartbeat = sseHeartbeat;
    b.trustedProxies = trustedProxies;
    b.keyFailuresPerMinute = keyFailuresPerMinute;
    b.metricsToken = metricsToken;
    return b;
  }

  /** Builds {@link HttpSettings}; starts from the defaults. Not thread-safe. */
  public static final class Builder {
    private Duration idleTimeout = Duration.ofSeconds(330);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration sseHeartbeat = Duration.ofSeconds(15);
    private List<String> trustedProxies = List.of();
    private int keyFailuresPerMinute = 30;
    private Optional<ServerConfig.Secret> metricsToken = Optional.empty();

    private Builder() {}

    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    public Builder sseHeartbeat(Duration value) {
      sseHeartbeat = value;
      return this;
    }

    public Builder trustedProxies(List<String> value) {
      trustedProxies = value;
      return this;
    }

    public Builder keyFailuresPerMinute(int value) {
      keyFailuresPerMinute = value;
      return this;
    }

    public Builder metricsToken(String value) {
      metricsToken = Optional.ofNullable(value).map(ServerConfig.Secret::new);
      return this;
    }

    public HttpSettings build() {
      return new HttpSettings(
          idleTimeout,
          requestTimeout,
          sseHeartbeat,
          trustedProxies,
          keyFailuresPerMinute,
          metricsToken);
    }
  }
}
