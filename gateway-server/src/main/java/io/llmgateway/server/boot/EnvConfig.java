package io.llmgateway.server.boot;

import io.llmgateway.bedrock.BedrockSettings;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.server.DatabaseSettings;
import io.llmgateway.server.HttpSettings;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.ServerConfig.Mode;
import io.llmgateway.server.ServerConfig.ProviderKind;
import io.llmgateway.server.TimingSettings;
import io.llmgateway.server.http.ClientAddress;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ServerConfig} from environment variables (given as a map: only {@code Main} calls
 * {@code System.getenv()}). Every mistake is a {@link ConfigError} naming the variable and what to
 * set instead. See docs/SERVER.md for the table. Stateless.
 */
public final class EnvConfig {
  private EnvConfig() {}

  public static ServerConfig fromEnv(Map<String, String> env) {
    Mode mode =
        switch (get(env, "GATEWAY_MODE").orElse("demo").toLowerCase(Locale.ROOT)) {
          case "demo", "dev", "development" -> Mode.DEMO;
          case "production", "prod" -> Mode.PRODUCTION;
          default -> throw new ConfigError("GATEWAY_MODE must be 'demo' or 'production'");
        };
    Optional<ServerConfig.Secret> masterKey = get(env, "GATEWAY_MASTER_KEY").map(EnvConfig::master);
    if (mode == Mode.PRODUCTION && masterKey.isEmpty()) {
      throw new ConfigError(
          "GATEWAY_MASTER_KEY is required in production mode: set it to a secret starting with"
              + " 'sk-' (at least 32 characters), e.g. from AWS Secrets Manager");
    }
    String host = get(env, "GATEWAY_HOST").orElse("127.0.0.1");
    int port = integer(env, "GATEWAY_PORT", 4000, 0, 65_535);
    ZoneId zone;
    try {
      zone = ZoneId.of(get(env, "GATEWAY_TIMEZONE").orElse("UTC"));
    } catch (DateTimeException e) {
      throw new ConfigError(
          "GATEWAY_TIMEZONE is not a time zone: use an IANA name such as UTC or Europe/Berlin");
    }
    int pool = integer(env, "GATEWAY_DB_POOL_SIZE", 5, 1, 100);
    Path dataDir = path(env, "GATEWAY_DATA_DIR", defaultDataDir(env));
    DatabaseSettings database =
        new DatabaseSettings(
            get(env, "DATABASE_URL").map(ServerConfig.Secret::new),
            dataDir,
            pool,
            switch (get(env, "GATEWAY_SETTLEMENT").orElse("deferred").toLowerCase(Locale.ROOT)) {
              case "deferred" -> GatewayConfig.Settlement.DEFERRED;
              case "inline" -> GatewayConfig.Settlement.INLINE;
              default -> throw new ConfigError("GATEWAY_SETTLEMENT must be 'deferred' or 'inline'");
            },
            Duration.ofSeconds(
                integer(
                    env,
                    "GATEWAY_BUDGET_LEASE_SECONDS",
                    (int) ServerConfig.DEFAULT_LEASE_WINDOW.toSeconds(),
                    0,
                    300)),
            Duration.ofDays(
                integer(
                    env,
                    "GATEWAY_REQUEST_LOG_RETENTION_DAYS",
                    (int) io.llmgateway.core.Gateway.DEFAULT_REQUEST_LOG_RETENTION.toDays(),
                    1,
                    3_650)),
            SpendLogEnv.retentionMonths(env),
            SpendLogEnv.rollupEvery(env));
    ProviderKind kind =
        switch (get(env, "GATEWAY_PROVIDER")
            .orElse(mode == Mode.DEMO ? "mock" : "bedrock")
            .toLowerCase(Locale.ROOT)) {
          case "mock" -> ProviderKind.MOCK;
          case "bedrock" -> ProviderKind.BEDROCK;
          default -> throw new ConfigError("GATEWAY_PROVIDER must be 'mock' or 'bedrock'");
        };
    Optional<URI> endpoint =
        get(env, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
            .or(() -> get(env, "AWS_ENDPOINT_URL"))
            .map(EnvConfig::uri);
    Optional<String> region = get(env, "AWS_REGION").or(() -> get(env, "AWS_DEFAULT_REGION"));
    Duration callTimeout =
        Duration.ofSeconds(
            integer(
                env,
                "GATEWAY_BEDROCK_CALL_TIMEOUT_SECONDS",
                (int) ServerConfig.Provider.DEFAULT_CALL_TIMEOUT.toSeconds(),
                1,
                3_600));
    int maxAttempts =
        integer(env, "GATEWAY_MAX_ATTEMPTS", ServerConfig.Provider.DEFAULT_MAX_ATTEMPTS, 1, 10);
    TimingSettings timings =
        new TimingSettings(
            TimingSettings.DEFAULT.sweepInterval(),
            TimingSettings.DEFAULT.shutdownGrace(),
            TimingSettings.DEFAULT.authCacheTtl(),
            TimingSettings.DEFAULT.probeTimeout(),
            Duration.ofSeconds(
                integer(
                    env,
                    "GATEWAY_RESERVATION_TTL_SECONDS",
                    (int) TimingSettings.DEFAULT.reservationTtl().toSeconds(),
                    60,
                    86_400)),
            Duration.ofSeconds(
                integer(
                    env,
                    "GATEWAY_CANCEL_DRAIN_SECONDS",
                    (int) TimingSettings.DEFAULT.cancelDrain().toSeconds(),
                    0,
                    300)));
    requestsEndBeforeTheirReservations(callTimeout, maxAttempts, timings);
    ServerConfig.Limits limits =
        new ServerConfig.Limits(
            integer(
                env,
                "GATEWAY_MAX_BODY_BYTES",
                ServerConfig.Limits.DEFAULT.maxBodyBytes(),
                1_024,
                256 << 20),
            integer(
                env, "GATEWAY_MAX_MESSAGES", ServerConfig.Limits.DEFAULT.maxMessages(), 1, 100_000),
            integer(
                env,
                "GATEWAY_MAX_IMAGE_BYTES",
                ServerConfig.Limits.DEFAULT.maxImageBytes(),
                1,
                256 << 20),
            integer(env, "GATEWAY_MAX_IMAGES", ServerConfig.Limits.DEFAULT.maxImages(), 1, 1_000),
            integer(
                env,
                "GATEWAY_MAX_JSON_DEPTH",
                ServerConfig.Limits.DEFAULT.maxJsonDepth(),
                8,
                1_000),
            integer(env, "GATEWAY_MAX_TOOLS", ServerConfig.Limits.DEFAULT.maxTools(), 1, 10_000));
    return new ServerConfig(
        mode,
        host,
        port,
        masterKey,
        zone,
        database,
        new ServerConfig.Provider(
            kind,
            region,
            endpoint,
            callTimeout,
            maxAttempts,
            integer(env, "GATEWAY_BEDROCK_MAX_CONNECTIONS", 0, 0, 65_536)),
        path(env, "GATEWAY_MODELS_FILE", Path.of("config", "models.yaml")),
        path(env, "GATEWAY_TIERS_FILE", Path.of("config", "tiers.yaml")),
        limits,
        timings,
        http(env),
        integer(
            env,
            "GATEWAY_MEMBER_KEY_LIMIT",
            io.llmgateway.core.admin.AdminService.DEFAULT_MEMBER_KEY_LIMIT,
            1,
            1_000));
  }

  /** Connection lifetimes, trusted proxies, failed-key throttle, metrics token (docs/SERVER.md). */
  static HttpSettings http(Map<String, String> env) {
    HttpSettings d = HttpSettings.DEFAULT;
    List<String> proxies =
        get(env, "GATEWAY_TRUSTED_PROXIES")
            .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()))
            .map(x -> x.toList())
            .orElse(List.of());
    try {
      new ClientAddress(proxies);
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          "GATEWAY_TRUSTED_PROXIES must be comma-separated IP addresses or CIDRs such as"
              + " 10.0.0.0/16: "
              + e.getMessage());
    }
    Optional<String> metricsToken = get(env, "GATEWAY_METRICS_TOKEN");
    if (metricsToken.isPresent() && metricsToken.get().length() < 16) {
      throw new ConfigError("GATEWAY_METRICS_TOKEN must be at least 16 characters long");
    }
    return HttpSettings.builder()
        .idleTimeout(seconds(env, "GATEWAY_IDLE_TIMEOUT_SECONDS", d.idleTimeout(), 1, 4_000))
        .requestTimeout(
            seconds(env, "GATEWAY_REQUEST_TIMEOUT_SECONDS", d.requestTimeout(), 1, 3_600))
        .sseHeartbeat(seconds(env, "GATEWAY_SSE_HEARTBEAT_SECONDS", d.sseHeartbeat(), 1, 300))
        .trustedProxies(proxies)
        .keyFailuresPerMinute(
            integer(env, "GATEWAY_KEY_FAILURES_PER_MINUTE", d.keyFailuresPerMinute(), 1, 1_000_000))
        .metricsToken(metricsToken.orElse(null))
        .build();
  }

  private static Duration seconds(
      Map<String, String> env, String name, Duration dflt, int min, int max) {
    return Duration.ofSeconds(integer(env, name, (int) dflt.toSeconds(), min, max));
  }

  /**
   * A request must end before its reservation does, or the sweeper charges and frees it while it
   * runs: the same rule the core {@code Gateway} enforces ({@link GatewayConfig#longestRequest}),
   * checked here to name the variables to change.
   */
  private static void requestsEndBeforeTheirReservations(
      Duration callTimeout, int maxAttempts, TimingSettings timings) {
    Duration longest =
        GatewayConfig.builder()
            .maxAttempts(maxAttempts)
            .cancelDrain(timings.cancelDrain())
            .build()
            .longestRequest(
                BedrockSettings.builder().callTimeout(callTimeout).build().maxCallDuration());
    if (longest.compareTo(timings.reservationTtl()) >= 0) {
      throw new ConfigError(
          "a request could outlive its budget reservation: GATEWAY_RESERVATION_TTL_SECONDS ("
              + timings.reservationTtl().toSeconds()
              + ") must exceed GATEWAY_MAX_ATTEMPTS ("
              + maxAttempts
              + ") x GATEWAY_BEDROCK_CALL_TIMEOUT_SECONDS ("
              + callTimeout.toSeconds()
              + ", plus 1 s) + GATEWAY_CANCEL_DRAIN_SECONDS ("
              + timings.cancelDrain().toSeconds()
              + "): at least "
              + (longest.toSeconds() + 1)
              + " s; raise the TTL, or lower the attempts or the call timeout");
    }
  }

  /** {@code $XDG_DATA_HOME/llm-gateway}, else {@code ~/.local/share/llm-gateway}. */
  static Path defaultDataDir(Map<String, String> env) {
    return get(env, "XDG_DATA_HOME")
        .map(x -> Path.of(x, "llm-gateway"))
        .orElseGet(
            () ->
                Path.of(
                    get(env, "HOME").orElse(System.getProperty("user.home")),
                    ".local",
                    "share",
                    "llm-gateway"));
  }

  private static ServerConfig.Secret master(String value) {
    if (!value.startsWith("sk-") || value.length() < 20) {
      throw new ConfigError(
          "GATEWAY_MASTER_KEY must start with 'sk-' and be at least 20 characters long"
              + " (LiteLLM's rule; 32+ random characters recommended)");
    }
    return new ServerConfig.Secret(value);
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    Optional<String> v = get(env, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new ConfigError(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigError(name + " must be a whole number, got '" + v.get() + "'");
    }
  }

  private static Path path(Map<String, String> env, String name, Path dflt) {
    try {
      return get(env, name).map(Path::of).orElse(dflt);
    } catch (InvalidPathException e) {
      throw new ConfigError(name + " is not a valid path");
    }
  }

  private static URI uri(String value) {
    try {
      URI u = URI.create(value);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          "AWS_ENDPOINT_URL_BEDROCK_RUNTIME must be a URL such as http://127.0.0.1:8080");
    }
  }
}
