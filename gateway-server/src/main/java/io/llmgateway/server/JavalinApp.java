package io.llmgateway.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.http.ClientAddress;
import io.llmgateway.server.http.ErrorResponder;
import io.llmgateway.server.http.HttpProblem;
import io.llmgateway.server.http.InFlight;
import io.llmgateway.server.http.Json;
import io.llmgateway.server.http.LogSafe;
import io.llmgateway.server.http.ProtocolErrors;
import io.llmgateway.server.http.RefusalRecorder;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.http.RequestIds;
import io.llmgateway.server.http.Routes;
import io.llmgateway.server.metrics.GatewayMetrics;
import io.llmgateway.server.otel.ServerTracing;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin app in front of the gateway: virtual threads, the listening connector, body size and
 * request timeout, protocol and unknown-route errors, and the per-request hooks (request id,
 * in-flight count, tracing, access log, refusal record). {@link GatewayServer} creates it once and
 * starts and stops it.
 */
final class JavalinApp {
  private static final Logger access = LoggerFactory.getLogger("io.llmgateway.access");

  /** Listen backlog: see the connector below. */
  static final int ACCEPT_QUEUE = 4096;

  private JavalinApp() {}

  /** Creates (does not start) the app serving these route groups; reports each route it adds. */
  static Javalin create(
      ServerServices services,
      ServerTracing tracing,
      List<Routes> groups,
      Consumer<String> routeAdded) {
    ServerConfig config = services.config();
    Gateway gateway = services.gateway();
    Json json = services.json();
    ErrorResponder errors = services.errors();
    GatewayMetrics metrics = services.metrics();
    InFlight inFlight = services.inFlight();
    ClientAddress clients = services.clients();
    return Javalin.create(
        cfg -> {
          cfg.concurrency.useVirtualThreads = true;
          cfg.jetty.addConnector(
              (server, http) -> {
                var c =
                    new org.eclipse.jetty.server.ServerConnector(
                        server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                c.setHost(config.host());
                c.setPort(config.port());
                // Streams last minutes, so thousands of clients may connect at once: the
                // JDK's default listen backlog (50) dropped their SYNs (5 s connect timeouts
                // at 1,000 streams). The kernel caps it at net.core.somaxconn.
                c.setAcceptQueueSize(ACCEPT_QUEUE);
                return c;
              });
          cfg.http.maxRequestSize = config.limits().maxBodyBytes();
          // SSE must not be buffered by a compressor; JSON answers are small.
          cfg.http.compressionStrategy = CompressionStrategy.NONE;
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.jsonMapper(new JavalinJackson(json.mapper(), true));
          // No cfg.staticFiles.enableWebjars(): DocsRoutes serves Swagger UI's two files.
          ProtocolErrors protocolErrors = new ProtocolErrors(errors);
          cfg.jetty.modifyServer(server -> server.setErrorHandler(protocolErrors));
          cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(protocolErrors));
          // While a request is in progress (body, response) no read or write may stall longer
          // than this; between requests the connector's idle timeout (which GatewayServer sets
          // once started) applies.
          cfg.jetty.modifyHttpConfiguration(
              h -> h.setIdleTimeout(config.http().requestTimeout().toMillis()));
          cfg.routes.before(
              ctx -> {
                tracing.begin(ctx);
                before(ctx, inFlight, clients);
              });
          cfg.routes.after(tracing::detach);
          cfg.routes.exception(Exception.class, errors::respond);
          cfg.routes.error(
              404,
              ctx -> {
                if (ctx.attribute(RequestAttributes.ERROR_CODE) == null) {
                  errors.respond(
                      HttpProblem.notFound("no route " + ctx.method() + " " + safePath(ctx)), ctx);
                }
              });
          // The request logger runs once the response is written: only then is a request done
          // for shutdown's purposes (an "after" handler runs before the body is flushed).
          cfg.requestLogger.http(
              (ctx, ms) -> {
                try {
                  logAccess(ctx, metrics);
                  // After the answer is written: the client never waits for this.
                  RefusalRecorder.record(ctx, gateway, clients);
                } finally {
                  tracing.end(ctx);
                  done(ctx, inFlight);
                }
              });
          cfg.events.handlerAdded(
              h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                  routeAdded.accept(h.getHttpMethod().name() + " " + h.getPath());
                }
              });
          groups.forEach(g -> g.register(cfg.routes));
        });
  }

  private static void before(Context ctx, InFlight inFlight, ClientAddress clients) {
    RequestIds.assign(ctx);
    ctx.attribute(RequestAttributes.STARTED_NANOS, System.nanoTime());
    if (clients.secure(ctx)) {
      // Only over TLS (RFC 6797 8.1): a browser that once saw this never falls back to HTTP.
      ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    if (inFlight.draining()) {
      ctx.header("Connection", "close");
      throw new HttpProblem(
          503, "service_unavailable_error", "shutting_down", "the server is shutting down", null);
    }
    inFlight.begin();
    ctx.attribute(INFLIGHT, Boolean.TRUE);
  }

  private static void done(Context ctx, InFlight inFlight) {
    if (ctx.attribute(INFLIGHT) != null) {
      ctx.attribute(INFLIGHT, null);
      inFlight.end();
    }
  }

  private static final String INFLIGHT = "gw.inflight";

  private static void logAccess(Context ctx, GatewayMetrics metrics) {
    Long started = ctx.attribute(RequestAttributes.STARTED_NANOS);
    long nanos = started == null ? 0 : System.nanoTime() - started;
    String route = route(ctx);
    int status = ctx.statusCode();
    metrics.httpRequest(ctx.method().name(), route, status, nanos);
    Principal p = ctx.attribute(RequestAttributes.PRINCIPAL);
    String key = "-";
    String team = "-";
    if (p instanceof Principal.Keyed k) {
      key = k.key().id();
      team = k.team().map(t -> t.id()).orElse("-");
    } else if (p instanceof Principal.Master) {
      key = "master";
    }
    String model = Objects.requireNonNullElse(ctx.attribute(RequestAttributes.MODEL), "-");
    String error = Objects.requireNonNullElse(ctx.attribute(RequestAttributes.ERROR_CODE), "-");
    access.info(
        "request={} completion={} method={} route={} status={} ms={} key={} team={} model={}"
            + " error={}",
        RequestIds.of(ctx),
        Objects.requireNonNullElse(ctx.attribute(RequestAttributes.COMPLETION_ID), "-"),
        ctx.method().name(),
        route,
        status,
        String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6),
        LogSafe.text(key),
        LogSafe.text(team),
        LogSafe.text(model),
        LogSafe.text(error));
  }

  private static String route(Context ctx) {
    try {
      var endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  private static String safePath(Context ctx) {
    String path = ctx.path();
    String clean = path.replaceAll("[^A-Za-z0-9/._~-]", "?");
    return clean.length() <= 128 ? clean : clean.substring(0, 128) + "...";
  }
}
