package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /key|user|team/info} show the alert thresholds that apply, resolved the way the spend
 * trigger resolves them (own, else the team's or tier's, else the global default), with the
 * object's soft budgets, beside the budget forecast.
 */
class ThresholdInfoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void infoShowsTheResolvedThresholdsAndTheForecast() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      // global default 0.25, 0.5, 0.75
      GatewayServer s =
          AlertTestSupport.instance(stack, AlertTestSupport.noChannel(receiver), close);
      IssuedKey issued =
          stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.002"))));
      String user = issued.key().userId().orElseThrow();
      String key = issued.key().id();

      JsonNode a = userInfo(s, user).path("alerts");
      assertThat(a.path("alert_thresholds").toString()).isEqualTo("[0.25,0.5,0.75]");
      assertThat(a.path("source").asText()).isEqualTo("global");

      post(s, "/team/update", "{\"team_id\":\"drafting\",\"alert_thresholds\":[0.9]}");
      a = userInfo(s, user).path("alerts");
      assertThat(a.path("alert_thresholds").toString()).isEqualTo("[0.9]");
      assertThat(a.path("source").asText()).isEqualTo("team");
      assertThat(a.path("source_id").asText()).isEqualTo("drafting");
      JsonNode k = get(s, "/key/info?key=" + key).path("info").path("alerts");
      assertThat(k.path("source").asText()).as("the key's team").isEqualTo("team");
      JsonNode t = get(s, "/team/info?team_id=drafting").path("team_info").path("alerts");
      assertThat(t.path("source").asText()).isEqualTo("own");
      assertThat(t.path("alert_thresholds").toString()).isEqualTo("[0.9]");

      post(
          s,
          "/user/update",
          "{\"user_id\":\""
              + user
              + "\",\"alert_thresholds\":[],\"soft_budget\":0.001,"
              + "\"soft_budget_duration\":\"1d\"}");
      a = userInfo(s, user).path("alerts");
      assertThat(a.path("alert_thresholds").toString())
          .as("turned off for the user")
          .isEqualTo("[]");
      assertThat(a.path("source").asText()).isEqualTo("own");
      assertThat(a.path("soft_budget_daily").decimalValue()).isEqualByComparingTo("0.001");
      assertThat(a.path("soft_budget_monthly").isNull()).isTrue();

      stack.stub.enqueue(StubResponse.text("ok", 10, 2000));
      HttpResponse<String> chat =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions"))
                  .header("Authorization", "Bearer " + issued.plaintext())
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"model-cheap\",\"max_tokens\":2000,"
                              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).isEqualTo(200);
      s.gateway().flushSettlements(Duration.ofSeconds(5));
      JsonNode f = userInfo(s, user).path("budget_forecast").path("daily");
      assertThat(f.path("spend").decimalValue()).isPositive();
      assertThat(f.path("projected").decimalValue())
          .isGreaterThanOrEqualTo(f.path("spend").decimalValue());
      assertThat(f.path("limit").decimalValue()).isEqualByComparingTo("0.002");
    } finally {
      for (AutoCloseable c : close.reversed()) {
        c.close();
      }
    }
  }

  private static JsonNode userInfo(GatewayServer s, String user) throws Exception {
    return get(s, "/user/info?user_id=" + user).path("user_info");
  }

  private static JsonNode get(GatewayServer s, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayStack.MASTER_KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void post(GatewayServer s, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayStack.MASTER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
