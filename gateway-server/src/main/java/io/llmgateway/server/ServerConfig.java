package io.llmgateway.server;

import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.admin.AdminService;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server needs to know, as plain values. Only {@link Main} builds one from the
 * environment; tests build their own (usually from {@link #forTests()}). Immutable and thread-safe.
 * {@link #toString()} never shows the master key.
 *
 * @param mode demo (generated master key, mock provider, demo keys) or production (strict)
 * @param host listen address
 * @param port listen port; 0 picks a free one
 * @param masterKey the proxy-admin key; empty only in demo mode before one is generated
 * @param zone time zone of the calendar budget windows: as configured ({@code GATEWAY_TIMEZONE});
 *     {@code Bootstrap} checks it against the database's and runs on the database's
 * @param database where spend and identities live
 * @param provider which model provider serves the configured deployments
 * @param modelsFile the models file applied at startup (seed format)
 * @param tiersFile the tiers file applied at startup (seed format)
 * @param limits request limits
 * @param timings periodic jobs, caches and shutdown
 * @param http connection lifetimes, trusted proxies, failed-key throttle, metrics token
 * @param memberKeyLimit the most keys a member (admin UI self-service) may hold, 1 to 1000 ({@code
 *     GATEWAY_MEMBER_KEY_LIMIT}; {@link GatewayConfig#memberKeyLimit})
 */
public record ServerConfig(
    Mode mode,
    String host,
    int port,
    Optional<Secret> masterKey,
    ZoneId zone,
    DatabaseSettings database,
    Provider provider,
    Path modelsFile,
    Path tiersFile,
    Limits limits,
    TimingSettings timings,
    HttpSettings http,
    int memberKeyLimit) {

  /** Demo: offline-friendly defaults. Production: everything explicit, nothing generated. */
  public enum Mode {
    DEMO,
    PRODUCTION
  }

  /** Which provider adapter serves deployments. */
  public enum ProviderKind {
    MOCK,
    BEDROCK
  }

  public ServerConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    Objects.requireNonNull(masterKey, "masterKey");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(modelsFile, "modelsFile");
    Objects.requireNonNull(tiersFile, "tiersFile");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(http, "http");
    if (memberKeyLimit < 1 || memberKeyLimit > 1000) {
      throw new IllegalArgumentException("member key limit must be between 1 and 1000");
    }
  }

  /** The default member key limit ({@link AdminService#DEFAULT_MEMBER_KEY_LIMIT}). */
  public ServerConfig(
      Mode mode,
      String host,
      int port,
      Optional<Secret> masterKey,
      ZoneId zone,
      DatabaseSettings database,
      Provider provider,
      Path modelsFile,
      Path tiersFile,
      Limits limits,
      TimingSettings timings,
      HttpSettings http) {
    this(
        mode,
        host,
        port,
        masterKey,
        zone,
        database,
        provider,
        modelsFile,
        tiersFile,
        limits,
        timings,
        http,
        AdminService.DEFAULT_MEMBER_KEY_LIMIT);
  }

  /** A secret string whose {@code toString()} is redacted, so it never reaches a log line. */
  public record Secret(String value) {
    public Secret {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("secret must not be blank");
      }
    }

    @Override
    public String toString() {
      return "Secret[redacted]";
    }
  }

  /**
   * Budget leases admit for 10 s each unless {@code GATEWAY_BUDGET_LEASE_SECONDS} says otherwise.
   */
  public static final java.time.Duration DEFAULT_LEASE_WINDOW = java.time.Duration.ofSeconds(10);

  /**
   * @param kind mock or bedrock
   * @param region AWS region for Bedrock (empty: the SDK's region chain)
   * @param endpoint Bedrock runtime endpoint override (AWS_ENDPOINT_URL_BEDROCK_RUNTIME)
   * @param callTimeout the longest one Bedrock call may take (GATEWAY_BEDROCK_CALL_TIMEOUT_SECONDS)
   * @param maxAttempts how many deployments a request may try before its first byte, after failures
   *     Bedrock did not bill (GATEWAY_MAX_ATTEMPTS)
   * @param maxConnections most Bedrock calls (streams included) open at once; past it a request is
   *     refused at once with 503 and retry-after (GATEWAY_BEDROCK_MAX_CONNECTIONS; 0, the default:
   *     sized from the heap and the open-file limit, docs/BEDROCK.md "Concurrent calls")
   */
  public record Provider(
      ProviderKind kind,
      Optional<String> region,
      Optional<URI> endpoint,
      Duration callTimeout,
      int maxAttempts,
      int maxConnections) {
    /** Bedrock's default call timeout (5 min) and the core's 2 attempts. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(5);

    public static final int DEFAULT_MAX_ATTEMPTS = 2;

    public Provider {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(callTimeout, "callTimeout");
      if (callTimeout.isZero() || callTimeout.isNegative()) {
        throw new IllegalArgumentException("call timeout must be positive");
      }
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("max attempts must be between 1 and 10");
      }
      if (maxConnections < 0) {
        throw new IllegalArgumentException("max connections must not be negative");
      }
    }

    public Provider(
        ProviderKind kind,
        Optional<String> region,
        Optional<URI> endpoint,
        Duration callTimeout,
        int maxAttempts) {
      this(kind, region, endpoint, callTimeout, maxAttempts, 0);
    }

    public Provider(ProviderKind kind, Optional<String> region, Optional<URI> endpoint) {
      this(kind, region, endpoint, DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_ATTEMPTS);
    }
  }

  /**
   * Request limits, checked before any work is done for a request.
   *
   * @param maxBodyBytes largest request body (413 above)
   * @param maxMessages most messages in one chat request
   * @param maxImageBytes largest decoded image
   * @param maxImages most images in one chat request
   * @param maxJsonDepth deepest JSON nesting accepted
   * @param maxTools most tool definitions in one request
   */
  public record Limits(
      int maxBodyBytes,
      int maxMessages,
      int maxImageBytes,
      int maxImages,
      int maxJsonDepth,
      int maxTools) {
    /** 8 MiB bodies (room for a few inline images), 500 messages, 3.75 MB images (Bedrock's). */
    public static final Limits DEFAULT = new Limits(8 << 20, 500, 3_750_000, 20, 64, 128);

    public Limits {
      positive("maxBodyBytes", maxBodyBytes);
      positive("maxMessages", maxMessages);
      positive("maxImageBytes", maxImageBytes);
      positive("maxImages", maxImages);
      positive("maxJsonDepth", maxJsonDepth);
      positive("maxTools", maxTools);
    }

    public Limits withMaxBodyBytes(int value) {
      return new Limits(value, maxMessages, maxImageBytes, maxImages, maxJsonDepth, maxTools);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /**
   * Loopback on a free port, demo mode, master key {@code sk-test-master}, UTC, mock provider,
   * default limits: what an in-process test wants.
   */
  public static ServerConfig forTests() {
    return new ServerConfig(
        Mode.DEMO,
        "127.0.0.1",
        0,
        Optional.of(new Secret("sk-test-master")),
        ZoneId.of("UTC"),
        new DatabaseSettings(
            Optional.empty(),
            Path.of("target", "test-data"),
            5,
            GatewayConfig.Settlement.DEFERRED,
            DEFAULT_LEASE_WINDOW),
        new Provider(ProviderKind.MOCK, Optional.empty(), Optional.empty()),
        Path.of("config", "models.yaml"),
        Path.of("config", "tiers.yaml"),
        Limits.DEFAULT,
        TimingSettings.DEFAULT,
        HttpSettings.DEFAULT);
  }

  /** A builder starting from this configuration (one builder, not a copy method per field). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link ServerConfig} from another one. Not thread-safe. */
  public static final class Builder {
    private Mode mode;
    private String host;
    private int port;
    private Optional<Secret> masterKey;
    private ZoneId zone;
    private DatabaseSettings database;
    private Provider provider;
    private Path modelsFile;
    private Path tiersFile;
    private Limits limits;
    private TimingSettings timings;
    private HttpSettings http;
    private int memberKeyLimit;

    private Builder(ServerConfig c) {
      mode = c.mode;
      host = c.host;
      port = c.port;
      masterKey = c.masterKey;
      zone = c.zone;
      database = c.database;
      provider = c.provider;
      modelsFile = c.modelsFile;
      tiersFile = c.tiersFile;
      limits = c.limits;
      timings = c.timings;
      http = c.http;
      memberKeyLimit = c.memberKeyLimit;
    }

    public Builder memberKeyLimit(int value) {
      memberKeyLimit = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder masterKey(String value) {
      masterKey = Optional.of(new Secret(value));
      return this;
    }

    public Builder zone(ZoneId value) {
      zone = value;
      return this;
    }

    public Builder database(DatabaseSettings value) {
      database = value;
      return this;
    }

    public Builder limits(Limits value) {
      limits = value;
      return this;
    }

    public Builder timings(TimingSettings value) {
      timings = value;
      return this;
    }

    public Builder http(HttpSettings value) {
      http = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          mode,
          host,
          port,
          masterKey,
          zone,
          database,
          provider,
          modelsFile,
          tiersFile,
          limits,
          timings,
          http,
          memberKeyLimit);
    }
  }
}
