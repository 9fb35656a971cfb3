package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.testing.ScriptedProvider;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's flow over HTTP: the CLI syncs tiers and models and onboards the seed's users; the
 * gateway server on the same PostgreSQL database then answers the seed's curl request with a key
 * from keys.csv, and refuses with 429 budget_exceeded once the tier's daily budget is spent. A
 * scripted provider registered as {@code bedrock} stands in for Bedrock.
 */
class OnboardedUserCallsServerTest extends CommandTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> chat(GatewayServer server, String key, String model)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\": \""
                        + model
                        + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSeedUserCallsTheServerWithTheWrittenKeyUntilTheDailyBudgetIsSpent() throws Exception {
    seedOnboarded();
    String key =
        Files.readAllLines(cli.workDir.resolve("keys.csv")).stream()
            .filter(l -> l.startsWith("user1@example.com,"))
            .findFirst()
            .orElseThrow()
            .split(",")[5];
    ScriptedProvider bedrock = new ScriptedProvider("bedrock").usage(10, 5_000);

    try (GatewayServer server =
        GatewayServer.start(ServerConfig.forTests(), cli.stores(), List.of(bedrock), cli.clock)) {
      HttpResponse<String> ok = chat(server, key, "model-cheap");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.body()).contains("\"completion_tokens\":5000");
      assertThat(chat(server, key, "model-reasoning").statusCode()).isIn(401, 403);

      HttpResponse<String> last = ok;
      for (int i = 0; i < 100 && last.statusCode() == 200; i++) {
        last = chat(server, key, "model-cheap");
      }
      assertThat(last.statusCode()).as(last.body()).isEqualTo(429);
      assertThat(last.body()).contains("budget_exceeded").contains("$0.017");
    }
  }
}
