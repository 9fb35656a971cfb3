package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.identity.Principal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Spend of a real chat request shows up in the UI's spend log, its CSV export and the overview. */
class UiSpendExportTest {

  @Test
  void aChatRequestAppearsInTheSpendLogTheCsvExportAndTheOverview() throws Exception {
    try (UiStack stack = UiStack.start()) {
      IssuedKey key =
          stack
              .server()
              .gateway()
              .admin()
              .generateKey(
                  Principal.MASTER, KeySpec.builder().userId("bob").teamId("drafting").build());
      HttpResponse<String> chat =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/v1/chat/completions"))
                      .header("Authorization", "Bearer " + key.plaintext())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\","
                                  + "\"content\":\"hi\"}]}"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
      UiHttp ui = new UiHttp(stack.baseUrl());
      assertThat(ui.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);

      HttpResponse<String> page = ui.get("/ui/spend?user=bob");
      HttpResponse<String> csv = ui.get("/ui/spend.csv?user=bob");
      HttpResponse<String> none = ui.get("/ui/spend.csv?user=nobody");
      HttpResponse<String> overview = ui.get("/ui/overview");

      assertThat(page.body()).contains("model-cheap").contains("success").contains("drafting");
      assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
      assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow())
          .contains("attachment");
      String[] lines = csv.body().split("\r\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0])
          .startsWith("\"ended_at\",\"request_id\",\"key_id\",\"user_id\",\"team_id\",\"model\"");
      assertThat(lines[1])
          .contains(",\"" + key.key().id() + "\",\"bob\",\"drafting\",\"model-cheap\",")
          .contains(",\"success\",")
          .doesNotContain(key.plaintext());
      assertThat(none.body().split("\r\n")).hasSize(1);
      assertThat(overview.body()).contains("bob").contains("1 requests");
      assertThat(ui.get("/ui/spend?from=yesterday").statusCode()).isEqualTo(400);
    }
  }
}
