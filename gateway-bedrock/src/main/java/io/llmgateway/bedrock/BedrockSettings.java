package io.llmgateway.bedrock;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Bedrock provider talks to AWS. Region and (preferably) the endpoint come per deployment;
 * {@code endpoint} here applies only to deployments without their own. When neither is set, {@code
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME} (then {@code AWS_ENDPOINT_URL}) and then the regional default
 * apply. Calls use HTTP/1.1 keep-alive connections from one pool per provider (there is no protocol
 * setting: HTTP/2 was the AWS SDK's streaming default and broke against HTTP/1.1-only servers,
 * reference doc 0.1).
 *
 * <p>Timeouts (AWS recommends raising the usual 30 s read timeouts for Nova, reference doc 0.5):
 * {@code connectTimeout} to open a connection; {@code firstByteTimeout} until a blocking answer
 * arrives or a stream sends its first event; {@code streamIdleTimeout} between two stream events;
 * {@code callTimeout} for a whole call. {@code probeTimeout} bounds a health probe, whose result is
 * cached for {@code healthCacheTtl}.
 *
 * <p>{@code staticCredentials} are meant for tests and stubs; when empty the SDK's default
 * credential chain is used (or a Bedrock API key from {@code AWS_BEARER_TOKEN_BEDROCK}). Immutable
 * and thread-safe.
 */
public record BedrockSettings(
    Optional<URI> endpoint,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration streamIdleTimeout,
    Duration callTimeout,
    Duration probeTimeout,
    Duration healthCacheTtl,
    Optional<StaticCredentials> staticCredentials,
    int maxConnections) {

  /** An access key pair; {@link #toString()} never shows the secret. */
  public record StaticCredentials(String accessKeyId, String secretAccessKey) {
    public StaticCredentials {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("access key id must not be blank");
      }
      if (secretAccessKey == null || secretAccessKey.isBlank()) {
        throw new IllegalArgumentException("secret access key must not be blank");
      }
    }

    @Override
    public String toString() {
      return "StaticCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
  }

  public BedrockSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    positive("connectTimeout", connectTimeout);
    positive("firstByteTimeout", firstByteTimeout);
    positive("streamIdleTimeout", streamIdleTimeout);
    positive("callTimeout", callTimeout);
    positive("probeTimeout", probeTimeout);
    Objects.requireNonNull(healthCacheTtl, "healthCacheTtl");
    if (healthCacheTtl.isNegative()) {
      throw new IllegalArgumentException("healthCacheTtl must not be negative");
    }
    Objects.requireNonNull(staticCredentials, "staticCredentials");
    if (maxConnections < 0) {
      throw new IllegalArgumentException(
          "maxConnections must not be negative (0: sized from memory)");
    }
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(field + " must be positive");
    }
  }

  /**
   * Production defaults: connect 5 s, first byte 60 s, idle 30 s between stream events, 5 minutes
   * per call (Nova calls can run long, AWS recommends raising client timeouts; a Nova answer of its
   * longest output streams in well under that), probe 10 s, health cached 60 s, default credential
   * chain. Two attempts of the call timeout plus a cancelled stream's drain must fit in the
   * gateway's reservation TTL (15 min by default; the gateway refuses to start otherwise).
   */
  public static BedrockSettings defaults() {
    return new BedrockSettings(
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Optional.empty(),
        0);
  }

  /**
   * The longest one call can take: the call timeout, plus a second for the deadline thread's tick
   * and the request's signing. What the provider reports as {@code maxCallDuration()}.
   */
  public Duration maxCallDuration() {
    return callTimeout.plusSeconds(1);
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds settings field by field; {@link #build()} checks them as the constructor does. Not
   * thread-safe.
   */
  public static final class Builder {
    private Optional<URI> endpoint;
    private Duration connectTimeout;
    private Duration firstByteTimeout;
    private Duration streamIdleTimeout;
    private Duration callTimeout;
    private Duration probeTimeout;
    private Duration healthCacheTtl;
    private Optional<StaticCredentials> staticCredentials;
    private int maxConnections;

    private Builder(BedrockSettings from) {
      endpoint = from.endpoint;
      connectTimeout = from.connectTimeout;
      firstByteTimeout = from.firstByteTimeout;
      streamIdleTimeout = from.streamIdleTimeout;
      callTimeout = from.callTimeout;
      probeTimeout = from.probeTimeout;
      healthCacheTtl = from.healthCacheTtl;
      staticCredentials = from.staticCredentials;
      maxConnections = from.maxConnections;
    }

    /** The endpoint for deployments without their own. */
    public Builder endpoint(URI v) {
      endpoint = Optional.of(Objects.requireNonNull(v, "endpoint"));
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder firstByteTimeout(Duration v) {
      firstByteTimeout = v;
      return this;
    }

    public Builder streamIdleTimeout(Duration v) {
      streamIdleTimeout = v;
      return this;
    }

    public Builder callTimeout(Duration v) {
      callTimeout = v;
      return this;
    }

    public Builder probeTimeout(Duration v) {
      probeTimeout = v;
      return this;
    }

    public Builder healthCacheTtl(Duration v) {
      healthCacheTtl = v;
      return this;
    }

    /** Static credentials (tests, stubs); they also switch off bearer-token auth from the env. */
    public Builder staticCredentials(String accessKeyId, String secretAccessKey) {
      staticCredentials = Optional.of(new StaticCredentials(accessKeyId, secretAccessKey));
      return this;
    }

    /**
     * At most {@code v} concurrent calls (streams included) through this provider; beyond it a call
     * is refused at once with 503 and {@code retry-after}. 0: sized from the heap and the process's
     * open-file limit ({@link ConnectionBound#auto()}).
     */
    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public BedrockSettings build() {
      return new BedrockSettings(
          endpoint,
          connectTimeout,
          firstByteTimeout,
          streamIdleTimeout,
          callTimeout,
          probeTimeout,
          healthCacheTtl,
          staticCredentials,
          maxConnections);
    }
  }
}
