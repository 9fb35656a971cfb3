package io.llmgateway.server.boot;

import io.llmgateway.server.ServerConfig;
import java.io.PrintStream;

/** The startup message {@code Main} prints: where to connect, and in demo mode the keys to use. */
public final class Banner {
  private Banner() {}

  public static void print(PrintStream out, Bootstrap.Started s) {
    String url = s.server().baseUrl();
    ServerConfig c = s.config();
    out.println();
    out.println(
        "LLM gateway listening on "
            + url
            + " ("
            + c.mode().name().toLowerCase(java.util.Locale.ROOT)
            + " mode, provider "
            + c.provider().kind().name().toLowerCase(java.util.Locale.ROOT)
            + ")");
    out.println(
        "  database:  "
            + (s.embeddedDatabase()
                ? "embedded PostgreSQL in " + c.database().dataDir().resolve("postgres")
                : "DATABASE_URL"));
    out.println(
        "  models:    "
            + s.applied().deployments().size()
            + " deployment(s) from "
            + c.modelsFile());
    out.println("  tiers:     " + s.applied().tiers().size() + " from " + c.tiersFile());
    out.println("  API docs:  " + url + "/   metrics: " + url + "/metrics");
    if (c.mode() == ServerConfig.Mode.DEMO) {
      out.println();
      out.println(
          "Demo keys (stored in "
              + c.database().dataDir().resolve(DemoKeys.FILE)
              + ", same at every restart):");
      c.masterKey().ifPresent(k -> out.println("  master (admin)   " + k.value()));
      String example = null;
      for (DemoKeys.DemoKey k : s.demoKeys()) {
        out.printf("  %-16s %s%n", k.tier(), k.plaintext());
        if (example == null) {
          example = k.plaintext();
        }
      }
      if (example != null) {
        String model = s.applied().tiers().getFirst().allowedModels().getFirst();
        out.println();
        out.println("Try it:");
        out.println("  curl -s " + url + "/v1/chat/completions \\");
        out.println("    -H \"Authorization: Bearer " + example + "\" \\");
        out.println("    -H \"Content-Type: application/json\" \\");
        out.println(
            "    -d '{\"model\": \""
                + model
                + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}]}'");
      }
    }
    out.println();
    out.flush();
  }
}
