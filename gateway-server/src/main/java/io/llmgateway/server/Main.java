package io.llmgateway.server;

import io.llmgateway.server.alerts.AlertSettings;
import io.llmgateway.server.boot.Banner;
import io.llmgateway.server.boot.Bootstrap;
import io.llmgateway.server.boot.ConfigError;
import io.llmgateway.server.boot.EnvConfig;
import io.llmgateway.server.boot.UiEnv;
import io.llmgateway.server.otel.ServerTracing;
import io.llmgateway.server.ui.HashPasswordCommand;

/**
 * Starts the gateway: reads the environment (the only class that does), wires everything through
 * {@link Bootstrap}, prints where to connect (and the demo keys in demo mode), and stops gracefully
 * on SIGTERM. Exits with status 2 and a message saying what to fix when the configuration is wrong.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length > 0 && args[0].equals("hash-password")) {
      System.exit(
          HashPasswordCommand.run(
              java.util.Arrays.copyOfRange(args, 1, args.length),
              System.console(),
              new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      System.in, java.nio.charset.StandardCharsets.UTF_8)),
              System.out,
              System.err));
      return;
    }
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(
          "usage: gateway [--help | hash-password [--cost N]]\n"
              + "llm-gateway: configure with environment variables (see docs/SERVER.md): GATEWAY_MODE,"
              + " GATEWAY_MASTER_KEY, DATABASE_URL, GATEWAY_DATA_DIR, GATEWAY_HOST, GATEWAY_PORT,"
              + " GATEWAY_TIMEZONE, GATEWAY_DB_POOL_SIZE, GATEWAY_MODELS_FILE, GATEWAY_TIERS_FILE,"
              + " GATEWAY_PROVIDER, AWS_REGION, AWS_ENDPOINT_URL_BEDROCK_RUNTIME; admin UI (see"
              + " docs/UI.md): GATEWAY_UI_ADMIN_USER, GATEWAY_UI_ADMIN_PASSWORD_HASH,"
              + " GATEWAY_UI_COOKIE_SECURE; single sign-on (see docs/ui/sso.md): GATEWAY_OIDC_ISSUER,"
              + " GATEWAY_OIDC_CLIENT_ID, GATEWAY_OIDC_CLIENT_SECRET, GATEWAY_OIDC_REDIRECT_URI,"
              + " GATEWAY_OIDC_ADMIN_GROUPS, GATEWAY_OIDC_VIEWER_GROUPS,"
              + " GATEWAY_OIDC_TEAM_ADMIN_GROUPS, ...");
      return;
    }
    Bootstrap.Started started;
    try {
      ServerConfig config = EnvConfig.fromEnv(System.getenv());
      AlertSettings alerts;
      try {
        alerts = AlertSettings.fromEnv(System.getenv());
      } catch (IllegalArgumentException e) {
        throw new ConfigError(e.getMessage());
      }
      // OTEL_* turn traces on (docs/OBSERVABILITY.md); without them nothing is built.
      ServerTracing tracing;
      try {
        tracing = ServerTracing.fromEnv(System.getenv());
      } catch (RuntimeException e) {
        throw new ConfigError("OpenTelemetry (OTEL_*): " + e.getMessage());
      }
      started = Bootstrap.start(config, UiEnv.fromEnv(System.getenv(), config), alerts, tracing);
    } catch (ConfigError e) {
      System.err.println("llm-gateway: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      if (hasCause(e, java.net.BindException.class)) {
        System.err.println(
            "llm-gateway: cannot start: the listen address is in use (another gateway?);"
                + " stop it or set GATEWAY_PORT / GATEWAY_HOST");
        System.exit(2);
        return;
      }
      throw e;
    }
    Banner.print(System.out, started);
    // SIGTERM/SIGINT drain the server *before* the JVM runs its shutdown hooks: the embedded
    // PostgreSQL stops in a hook of its own, which would otherwise race in-flight requests.
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              started.server().close();
              System.exit(0);
            });
      } catch (IllegalArgumentException e) {
        // Not available on this platform: the shutdown hook below still closes the server.
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(started.server()::close, "graceful-shutdown"));
    // Stay alive until a close has finished: when the HTTP server's threads end mid-shutdown, no
    // other non-daemon thread would be left, and the JVM would run its exit hooks (the embedded
    // PostgreSQL's stops the database) while the queued settlements are still being written.
    try {
      started.server().awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
