package io.llmgateway.server.boot;

import com.zaxxer.hikari.HikariDataSource;
import io.llmgateway.bedrock.BedrockSettings;
import io.llmgateway.bedrock.MockSettings;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.config.ConfigException;
import io.llmgateway.config.ConfigFiles;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.postgres.BudgetZoneMismatchException;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.EmbeddedDatabase;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.alerts.AlertSettings;
import io.llmgateway.server.alerts.Alerts;
import io.llmgateway.server.metrics.GatewayMetrics;
import io.llmgateway.server.otel.ServerTracing;
import io.llmgateway.server.ui.UiRoutes;
import io.llmgateway.server.ui.UiSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wires a whole gateway from a {@link ServerConfig}: the database (a {@code DATABASE_URL}, else an
 * embedded PostgreSQL in the data directory), migrations, the models and tiers files, the provider,
 * demo keys in demo mode, and the HTTP server, on the database's budget time zone (an instance
 * configured with another one does not start) and, in production, the database's clock. Every
 * configuration mistake surfaces as a {@link ConfigError} saying what to fix. Stateless.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** A started gateway and what the banner shows. */
  public record Started(
      GatewayServer server,
      ServerConfig config,
      boolean embeddedDatabase,
      List<DemoKeys.DemoKey> demoKeys,
      StartupConfigSync.Result applied,
      UiInfo ui) {}

  /** Whether the admin UI is on, and demo mode's generated sign-in (for the banner). */
  public record UiInfo(boolean enabled, Optional<String> demoUser, Optional<String> demoPassword) {
    @Override
    public String toString() {
      return "UiInfo[" + enabled + ", " + demoUser + ", password redacted]";
    }
  }

  /** Production: the clock is the database's ({@link PostgresAdapters#clock()}). */
  public static Started start(ServerConfig config) {
    return start(config, UiSettings.disabled(), AlertSettings.off());
  }

  /** Starts with these admin UI settings (from {@link UiEnv}), on the database's clock. */
  public static Started start(ServerConfig config, UiSettings ui) {
    return start(config, ui, AlertSettings.off());
  }

  /** Also with budget alert settings (from {@link AlertSettings#fromEnv}, docs/ALERTS.md). */
  public static Started start(ServerConfig config, UiSettings ui, AlertSettings alerts) {
    return start(config, ui, alerts, ServerTracing.OFF);
  }

  /** also with tracing (from {@link ServerTracing#fromEnv}, docs/OBSERVABILITY.md). */
  public static Started start(
      ServerConfig config, UiSettings ui, AlertSettings alerts, ServerTracing tracing) {
    return start(config, Optional.empty(), List.of(), ui, alerts, tracing);
  }

  /**
   * @param clock the clock instead of the database's (tests move it by hand)
   * @param extraProviders providers registered in addition to the configured one (tests)
   */
  public static Started start(
      ServerConfig config, Clock clock, List<ModelProvider> extraProviders) {
    return start(config, clock, extraProviders, UiSettings.disabled());
  }

  /**
   * @param ui the admin UI's settings; without an account, demo mode generates one (user {@code
   *     admin}, a random password kept in the data directory) and production mode leaves the UI off
   */
  public static Started start(
      ServerConfig config, Clock clock, List<ModelProvider> extraProviders, UiSettings ui) {
    return start(
        config, Optional.of(clock), extraProviders, ui, AlertSettings.off(), ServerTracing.OFF);
  }

  private static Started start(
      ServerConfig config,
      Optional<Clock> givenClock,
      List<ModelProvider> extraProviders,
      UiSettings ui,
      AlertSettings alerts,
      ServerTracing tracing) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      EmbeddedDatabase embedded = null;
      DatabaseConfig db;
      if (config.database().url().isPresent()) {
        try {
          db =
              DatabaseConfig.fromUrl(
                  config.database().url().get().value(), config.database().poolSize());
        } catch (IllegalArgumentException e) {
          throw new ConfigError("DATABASE_URL: " + e.getMessage());
        }
      } else {
        embedded = EmbeddedDatabase.start(config.database().dataDir().resolve("postgres"));
        resources.add(embedded);
        db = embedded.config(config.database().poolSize());
      }
      PostgresAdapters adapters;
      try {
        adapters = PostgresAdapters.start(db, config.zone());
      } catch (StorageUnavailableException e) {
        throw new ConfigError(
            e.getMessage() + " (check DATABASE_URL, that the server is up and reachable)", e);
      } catch (BudgetZoneMismatchException e) {
        throw new ConfigError(zoneMismatch(e), e);
      }
      resources.add(adapters);
      // partitions ahead, retention and rollups, off the settle path
      resources.add(
          adapters
              .spendLogMaintenance(config.database().spendLogRetentionMonths())
              .start(config.database().spendRollupEvery(), java.time.Clock.systemUTC()));
      Clock clock;
      try {
        clock = givenClock.orElseGet(adapters::clock);
      } catch (StorageUnavailableException e) {
        throw new ConfigError("cannot read the database's time: " + e.getMessage(), e);
      }

      // The database's zone, as stored (the check above passed): every instance computes its
      // budget windows in exactly this zone.
      ServerConfig effective = config.toBuilder().zone(adapters.budgetZone()).build();
      if (config.mode() == ServerConfig.Mode.DEMO && config.masterKey().isEmpty()) {
        effective =
            effective.toBuilder()
                .masterKey(DemoKeys.masterKey(config.database().dataDir()))
                .build();
      }
      AdminService admin = new AdminService(adapters.stores(), clock, effective.zone());
      StartupConfigSync.Result applied;
      try {
        applied = StartupConfigSync.apply(admin, config.modelsFile(), config.tiersFile());
      } catch (ConfigException e) {
        throw new ConfigError(e.getMessage(), e);
      }
      List<DemoKeys.DemoKey> demoKeys =
          config.mode() == ServerConfig.Mode.DEMO
              ? DemoKeys.ensure(
                  admin, adapters.stores(), config.database().dataDir(), applied.tiers())
              : List.of();

      GatewayServer.Builder b =
          GatewayServer.builder(effective)
              .stores(adapters.stores())
              .refusalLog(adapters.refusalLog())
              .clock(clock)
              .readiness(adapters::isHealthy)
              .tracing(tracing);
      for (ModelProvider p : providers(config)) {
        b.provider(p);
        if (p instanceof AutoCloseable c) {
          resources.add(c);
        }
      }
      extraProviders.forEach(b::provider);
      UiSettings uiSettings = ui;
      Optional<String> demoPassword = Optional.empty();
      if (ui.admin().isEmpty() && config.mode() == ServerConfig.Mode.DEMO) {
        demoPassword = Optional.of(DemoUi.password(config.database().dataDir()));
        uiSettings = DemoUi.settings(ui, demoPassword.get());
      }
      b.routes(UiRoutes.factory(uiSettings, adapters.sessionStore(), adapters.alerts()));
      resources.forEach(b::closeOnStop);
      // s8-alerts: after the pools, so the deliverer stops before them
      try {
        Alerts.applyTiers(adapters.alerts(), ConfigFiles.tierAlertThresholds(config.tiersFile()));
      } catch (IllegalArgumentException | ConfigException e) {
        throw new ConfigError(config.tiersFile() + ": " + e.getMessage(), e);
      }
      Alerts.install(b, adapters.alerts(), alerts);
      GatewayServer server = b.start();
      poolGauges(server.services().metrics(), adapters);
      UiInfo uiInfo =
          new UiInfo(uiSettings.enabled(), demoPassword.map(p -> DemoUi.USER), demoPassword);
      return new Started(server, effective, embedded != null, demoKeys, applied, uiInfo);
    } catch (RuntimeException e) {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  static String zoneMismatch(BudgetZoneMismatchException e) {
    String configured = e.configured().getId();
    String database = e.database().getId();
    return "GATEWAY_TIMEZONE is "
        + configured
        + " but this database's budget time zone is "
        + database
        + " (stored by the first gateway instance on it): instances on different zones would each"
        + " grant a full day of budget. Set GATEWAY_TIMEZONE="
        + database
        + ", or change the database's zone deliberately, with every gateway instance stopped:"
        + " gateway-admin settings timezone "
        + configured
        + " (docs/POSTGRES.md)";
  }

  /**
   * The configured provider serves the {@code bedrock} deployments; the mock also answers for
   * {@code mock/...} deployments in every mode.
   */
  static List<ModelProvider> providers(ServerConfig config) {
    ModelProvider mock = Providers.mock(MockSettings.defaults());
    return switch (config.provider().kind()) {
      case MOCK -> List.of(mock, new NamedProvider("bedrock", mock));
      case BEDROCK -> {
        BedrockSettings.Builder s =
            BedrockSettings.builder()
                .callTimeout(config.provider().callTimeout())
                .maxConnections(config.provider().maxConnections());
        config.provider().endpoint().ifPresent(s::endpoint);
        yield List.of(mock, Providers.bedrock(s.build()));
      }
    };
  }

  private static void poolGauges(GatewayMetrics metrics, PostgresAdapters adapters) {
    if (adapters.dataSource() instanceof HikariDataSource h) {
      metrics.gauge(
          "gateway.db.pool.active",
          "Database connections in use",
          () ->
              h.getHikariPoolMXBean() == null ? 0 : h.getHikariPoolMXBean().getActiveConnections());
      metrics.gauge(
          "gateway.db.pool.idle",
          "Idle database connections",
          () -> h.getHikariPoolMXBean() == null ? 0 : h.getHikariPoolMXBean().getIdleConnections());
      metrics.gauge(
          "gateway.db.pool.pending",
          "Threads waiting for a database connection",
          () ->
              h.getHikariPoolMXBean() == null
                  ? 0
                  : h.getHikariPoolMXBean().getThreadsAwaitingConnection());
      metrics.gauge("gateway.db.pool.max", "Database pool size", h::getMaximumPoolSize);
    }
  }
}
