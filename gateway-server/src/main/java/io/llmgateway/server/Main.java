package io.llmgateway.server;

import io.llmgateway.server.boot.Banner;
import io.llmgateway.server.boot.Bootstrap;
import io.llmgateway.server.boot.ConfigError;
import io.llmgateway.server.boot.EnvConfig;

/**
 * Starts the gateway: reads the environment (the only class that does), wires everything through
 * {@link Bootstrap}, prints where to connect (and the demo keys in demo mode), and stops gracefully
 * on SIGTERM. Exits with status 2 and a message saying what to fix when the configuration is wrong.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(
          "llm-gateway: configure with environment variables (see docs/SERVER.md): GATEWAY_MODE,"
              + " GATEWAY_MASTER_KEY, DATABASE_URL, GATEWAY_DATA_DIR, GATEWAY_HOST, GATEWAY_PORT,"
              + " GATEWAY_TIMEZONE, GATEWAY_DB_POOL_SIZE, GATEWAY_MODELS_FILE, GATEWAY_TIERS_FILE,"
              + " GATEWAY_PROVIDER, AWS_REGION, AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
      return;
    }
    Bootstrap.Started started;
    try {
      started = Bootstrap.start(EnvConfig.fromEnv(System.getenv()));
    } catch (ConfigError e) {
      System.err.println("llm-gateway: cannot start: " + e.getMessage());
      System.exit(2);
      return;
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
  }
}
