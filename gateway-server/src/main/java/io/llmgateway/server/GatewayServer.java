package io.llmgateway.server;

import io.javalin.Javalin;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.Stores;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.server.cache.CachedCatalogStore;
import io.llmgateway.server.docs.DocsRoutes;
import io.llmgateway.server.docs.OpenApiDocument;
import io.llmgateway.server.http.Authenticator;
import io.llmgateway.server.http.ClientAddress;
import io.llmgateway.server.http.ErrorMapper;
import io.llmgateway.server.http.ErrorResponder;
import io.llmgateway.server.http.InFlight;
import io.llmgateway.server.http.Json;
import io.llmgateway.server.http.KeyFailureThrottle;
import io.llmgateway.server.http.Routes;
import io.llmgateway.server.metrics.GatewayMetrics;
import io.llmgateway.server.metrics.TimedProvider;
import io.llmgateway.server.otel.ServerTracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on virtual threads in front of one {@link Gateway}. Start it with {@link
 * #builder(ServerConfig)} (or {@link #start(ServerConfig, Stores, List, Clock)}); it listens until
 * {@link #close()}, which stops taking requests, lets in-flight requests and streams finish up to
 * the configured grace period, closes (and so settles) any stream still open, writes the deferred
 * settlements still queued, then stops. The core gateway's sweeper charges expired reservations.
 * Thread-safe.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  private final Javalin app;
  private final ServerServices services;
  private final List<AutoCloseable> resources;
  private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private GatewayServer(Builder b) {
    ServerConfig config = b.config;
    Clock clock = b.clock;
    GatewayMetrics metrics = new GatewayMetrics();
    GatewayConfig.Builder gc =
        GatewayConfig.builder()
            .zone(config.zone())
            .settlement(config.database().settlement())
            .leaseWindow(config.database().leaseWindow())
            .reservationTtl(config.timings().reservationTtl())
            .maxAttempts(config.provider().maxAttempts())
            .cancelDrain(config.timings().cancelDrain())
            .sweepInterval(config.timings().sweepInterval())
            .memberKeyLimit(config.memberKeyLimit());
    config.masterKey().ifPresent(k -> gc.masterKey(k.value()));
    GatewayConfig gatewayConfig = b.gatewayConfig.apply(gc.build());
    Stores stores = cached(b.stores, config.timings().authCacheTtl());
    // traces (docs/OBSERVABILITY.md); off (the default), the core gets a no-op port.
    ServerTracing tracing = b.tracing;
    Gateway.Builder gb =
        Gateway.builder()
            .stores(stores)
            .config(gatewayConfig)
            .clock(clock)
            .events(metrics)
            .tracing(tracing.gateway())
            .refusalLog(b.refusalLog, config.database().requestLogRetention());
    b.providers.forEach(p -> gb.provider(new TimedProvider(p, metrics)));
    Gateway gateway = gb.build();
    Json json = new Json(config.limits());
    InFlight inFlight = new InFlight();
    ErrorResponder errors = new ErrorResponder(new ErrorMapper(clock), json);
    ClientAddress clients = new ClientAddress(config.http().trustedProxies());
    Authenticator auth =
        new Authenticator(
            gateway,
            b.stores.invalidations(),
            config.timings().authCacheTtl(),
            clock,
            clients,
            new KeyFailureThrottle(config.http().keyFailuresPerMinute()));
    this.services =
        new ServerServices(
            config,
            gateway,
            json,
            auth,
            errors,
            metrics,
            inFlight,
            b.readiness,
            clock,
            clients,
            b.adminExtension);
    metrics.gauge("gateway.requests.inflight", "HTTP requests in progress", inFlight::requests);
    metrics.gauge("gateway.streams.active", "Streams being relayed", inFlight::streams);
    metrics.gauge(
        "gateway.settlements.queued",
        "Answered requests whose spend is not yet written (deferred settlement)",
        gateway::queuedSettlements);
    metrics.requestLogGauges(gateway);
    metrics.teamBudgets(gateway.admin(), clock, config.zone());
    metrics.gauge(
        "gateway.budget.leases.open",
        "Budget leases this instance admits requests against",
        gateway::openLeases);

    List<Routes> groups = new ArrayList<>(ServerRoutes.all(services));
    b.extraRoutes.forEach(f -> groups.add(f.apply(services)));
    List<String> fragments = new ArrayList<>();
    groups.forEach(g -> fragments.addAll(g.openApiFragments()));
    DocsRoutes docs =
        new DocsRoutes(new LazyBytes(() -> OpenApiDocument.build(json.mapper(), fragments)));
    groups.add(docs);

    this.app = JavalinApp.create(services, tracing, groups, routes::add);
    List<AutoCloseable> owned = new ArrayList<>(b.resources);
    owned.add(0, tracing); // closed last: exports the spans of the requests drained at close
    this.resources = List.copyOf(owned);
    app.start();
    // Longer than the load balancer's (ALB: 300 s), so the ALB, not the server, ends idle
    // keep-alive connections: a server closing first races the ALB's next request (502s).
    for (var connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
        c.setIdleTimeout(config.http().idleTimeout().toMillis());
      }
    }
    log.info("listening on http://{}:{}", config.host(), app.port());
  }

  /** The stores with the catalog read through a short-lived cache (see CachedCatalogStore). */
  private static Stores cached(Stores s, java.time.Duration ttl) {
    return new Stores(
        s.keys(),
        s.teams(),
        s.users(),
        new CachedCatalogStore(s.catalog(), s.invalidations(), ttl),
        s.ledger(),
        s.rateLimiter(),
        s.spendLog(),
        s.auditLog(),
        s.invalidations(),
        s.operators(),
        s.sessions());
  }

  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** Starts a server over the given stores and providers (no extra resources to close). */
  public static GatewayServer start(
      ServerConfig config, Stores stores, List<ModelProvider> providers, Clock clock) {
    Builder b = builder(config).stores(stores).clock(clock);
    providers.forEach(b::provider);
    return b.start();
  }

  /** Every HTTP route served, as {@code METHOD /path} (for the OpenAPI coverage test). */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port} of this server. */
  public String baseUrl() {
    String host = services.config().host();
    return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port();
  }

  public Gateway gateway() {
    return services.gateway();
  }

  public ServerServices services() {
    return services;
  }

  /**
   * Runs one sweep of expired reservations now (the gateway's own sweeper does this every {@code
   * GATEWAY_SWEEP} interval too); see {@link Gateway#sweep()}.
   */
  public int sweep() {
    return services.gateway().sweep();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    int cut = services.inFlight().drain(services.config().timings().shutdownGrace());
    if (cut > 0) {
      log.warn(
          "shutdown: cut off {} stream(s) at the deadline; their usage, else worst case, was charged",
          cut);
    }
    app.stop();
    // Every request has answered: write the settlements still queued before the database goes.
    services.gateway().close();
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("error closing {}: {}", resources.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    log.info("stopped");
    stopped.countDown();
  }

  /**
   * Blocks until {@link #close()} has finished. {@code Main} keeps its (non-daemon) thread here:
   * once the HTTP server's threads end, the JVM would otherwise start exiting on its own and run
   * the embedded PostgreSQL's shutdown hook while queued settlements are still being written.
   */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Builds and starts a {@link GatewayServer}. Not thread-safe. */
  public static final class Builder {
    private final ServerConfig config;
    private Stores stores;
    private RefusalLog refusalLog = InMemoryAdapters.refusalLog();
    private final List<ModelProvider> providers = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Readiness readiness = Readiness.ALWAYS;
    private UnaryOperator<GatewayConfig> gatewayConfig = UnaryOperator.identity();
    private final List<Function<ServerServices, Routes>> extraRoutes = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ServerTracing tracing = ServerTracing.OFF;
    private io.llmgateway.server.admin.AdminExtension adminExtension =
        io.llmgateway.server.admin.AdminExtension.NONE;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    public Builder stores(Stores value) {
      stores = Objects.requireNonNull(value);
      return this;
    }

    /** Where refused requests are kept (default: in memory, bounded; the server: PostgreSQL). */
    public Builder refusalLog(RefusalLog value) {
      refusalLog = Objects.requireNonNull(value);
      return this;
    }

    public Builder provider(ModelProvider value) {
      providers.add(Objects.requireNonNull(value));
      return this;
    }

    /** The clock for budget windows, expiry and timestamps (tests move it forward). */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    public Builder readiness(Readiness value) {
      readiness = Objects.requireNonNull(value);
      return this;
    }

    /** Adjusts the core configuration derived from the server configuration. */
    public Builder gatewayConfig(UnaryOperator<GatewayConfig> value) {
      gatewayConfig = Objects.requireNonNull(value);
      return this;
    }

    /** Adds a route group beyond {@link ServerRoutes#all}. */
    public Builder routes(Function<ServerServices, Routes> value) {
      extraRoutes.add(Objects.requireNonNull(value));
      return this;
    }

    /** Extra admin body fields stored outside the core (budget alerts, docs/ALERTS.md). */
    public Builder adminExtension(io.llmgateway.server.admin.AdminExtension value) {
      adminExtension = Objects.requireNonNull(value);
      return this;
    }

    /** tracing, e.g. {@link ServerTracing#fromEnv} (default: off); closed on stop. */
    public Builder tracing(ServerTracing value) {
      tracing = Objects.requireNonNull(value);
      return this;
    }

    /** A resource closed after the server stops (database pool, embedded database ...). */
    public Builder closeOnStop(AutoCloseable value) {
      resources.add(Objects.requireNonNull(value));
      return this;
    }

    public GatewayServer start() {
      Objects.requireNonNull(stores, "stores");
      return new GatewayServer(this);
    }
  }
}
