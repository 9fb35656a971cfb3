package io.llmgateway.server.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.testing.PostgresFixture;
import io.llmgateway.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demo mode through the same wiring as {@code Main}: models and tiers applied, the mock provider, a
 * printed curl example that works as printed, and keys that survive a restart.
 */
class DemoModeTest {

  @Test
  void startsWithPrintedKeysThatWorkAndKeepsThemAcrossRestarts(@TempDir Path dataDir)
      throws Exception {
    DatabaseConfig db = PostgresFixture.freshDatabase();
    ServerConfig config = config(db, dataDir);

    String firstBanner;
    try (var started = new Closing(Bootstrap.start(config))) {
      firstBanner = banner(started.s);
      assertThat(started.s.demoKeys())
          .extracting(DemoKeys.DemoKey::tier)
          .containsExactly("drafting", "coding", "architect", "retrieval");
      Matcher curl =
          Pattern.compile(
                  "curl -s (\\S+) \\\\\\s+-H \"Authorization: Bearer (\\S+)\" \\\\\\s+-H \"Content-Type: application/json\" \\\\\\s+-d '(.+)'")
              .matcher(firstBanner);
      assertThat(curl.find()).as(firstBanner).isTrue();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(curl.group(1)))
                      .header("Authorization", "Bearer " + curl.group(2))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(curl.group(3)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("chat.completion");
      // the offline mock answers embeddings too, for the retrieval tier's demo key.
      String retrievalKey =
          started.s.demoKeys().stream()
              .filter(k -> k.tier().equals("retrieval"))
              .findFirst()
              .orElseThrow()
              .plaintext();
      HttpResponse<String> e =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(curl.group(1).replace("/chat/completions", "/embeddings")))
                      .header("Authorization", "Bearer " + retrievalKey)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"model-embed\",\"input\":[\"a\",\"b\"]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(e.statusCode()).as(e.body()).isEqualTo(200);
      assertThat(e.body()).contains("\"object\":\"embedding\"").contains("\"index\":1");
    }
    assertThat(Files.getPosixFilePermissions(dataDir.resolve(DemoKeys.FILE)).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");

    try (var again = new Closing(Bootstrap.start(config))) {
      assertThat(keys(banner(again.s))).isEqualTo(keys(firstBanner));
    }
  }

  @Test
  void aTierNamingAnUndefinedModelFailsStartupWithAFix(@TempDir Path dir) throws Exception {
    Path tiers = dir.resolve("tiers.yaml");
    Files.writeString(
        tiers,
        """
        tiers:
          drafting:
            budget_daily: 0.017
            budget_monthly: 0.50
            allowed_models: [model-huge]
        """);
    ServerConfig base = config(PostgresFixture.freshDatabase(), dir);
    ServerConfig config =
        new ServerConfig(
            base.mode(),
            base.host(),
            base.port(),
            base.masterKey(),
            base.zone(),
            base.database(),
            base.provider(),
            base.modelsFile(),
            tiers,
            base.limits(),
            base.timings(),
            base.http());

    assertThatThrownBy(() -> Bootstrap.start(config))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("model-huge")
        .hasMessageContaining("add it there or fix the tier");
  }

  @Test
  void anUnreachableDatabaseFailsStartupWithAFix(@TempDir Path dir) {
    ServerConfig config =
        EnvConfig.fromEnv(
            Map.of(
                "DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:1/none",
                "GATEWAY_DATA_DIR", dir.toString(),
                "GATEWAY_MODELS_FILE", "../config/models.yaml",
                "GATEWAY_TIERS_FILE", "../config/tiers.yaml"));
    assertThatThrownBy(() -> Bootstrap.start(config))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageNotContaining("secret");
  }

  private static ServerConfig config(DatabaseConfig db, Path dataDir) {
    String url =
        db.jdbcUrl()
            + (db.jdbcUrl().contains("?") ? "&" : "?")
            + "user="
            + db.username()
            + (db.password().isEmpty() ? "" : "&password=" + db.password());
    return EnvConfig.fromEnv(
        Map.of(
            "DATABASE_URL", url,
            "GATEWAY_DATA_DIR", dataDir.toString(),
            "GATEWAY_PORT", "0",
            "GATEWAY_MODELS_FILE", "../config/models.yaml",
            "GATEWAY_TIERS_FILE", "../config/tiers.yaml"));
  }

  private static String banner(Bootstrap.Started s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Banner.print(new PrintStream(out, true, StandardCharsets.UTF_8), s);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> keys(String banner) {
    return Pattern.compile("sk-[A-Za-z0-9_-]{20,}")
        .matcher(banner)
        .results()
        .map(m -> m.group())
        .distinct()
        .toList();
  }

  private record Closing(Bootstrap.Started s) implements AutoCloseable {
    @Override
    public void close() {
      s.server().close();
    }
  }
}
