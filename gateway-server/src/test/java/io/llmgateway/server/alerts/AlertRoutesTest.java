package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /alert/thresholds}: LiteLLM's {@code soft_budget} and our {@code alert_thresholds} set per
 * scope over HTTP take effect on the next charge; bad input and non-admins are refused; the routes
 * are in {@code /openapi.json}.
 */
class AlertRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"model-cheap\",\"max_tokens\":2000,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void aSoftBudgetAndThresholdsSetOverHttpAlertAtTheNextCharge() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      GatewayServer s =
          AlertTestSupport.instance(stack, AlertTestSupport.noChannel(receiver), close);
      IssuedKey issued =
          stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.002"))));
      String user = issued.key().userId().orElseThrow();
      HttpResponse<String> set =
          post(
              s,
              GatewayStack.MASTER_KEY,
              "{\"scope_kind\":\"user\",\"scope_id\":\""
                  + user
                  + "\",\"alert_thresholds\":[0.9],\"soft_budget\":0.0005,"
                  + "\"budget_duration\":\"1d\"}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      JsonNode read =
          JSON.readTree(
              get(s, "/alert/thresholds?scope_kind=user&scope_id=" + user, GatewayStack.MASTER_KEY)
                  .body());
      assertThat(read.path("alert_thresholds").toString()).isEqualTo("[0.9]");
      assertThat(read.path("soft_budget_daily").decimalValue()).isEqualByComparingTo("0.0005");

      for (int i = 0; i < 2; i++) { // ~$0.00056: past the soft budget, 28 % of the limit
        stack.stub.enqueue(StubResponse.text("ok", 10, 2000));
        assertThat(chat(s, issued.plaintext()).statusCode()).isEqualTo(200);
      }
      s.gateway().flushSettlements(Duration.ofSeconds(5));
      List<PostgresAlerts.Alert> alerts =
          stack.adapters.alerts().list(Optional.empty(), Optional.empty(), 100);
      assertThat(alerts)
          .filteredOn(a -> a.scopeId().equals(user))
          .extracting(PostgresAlerts.Alert::thresholdKind, PostgresAlerts.Alert::thresholdValue)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("soft", 500_000L));
    } finally {
      for (AutoCloseable c : close.reversed()) {
        c.close();
      }
    }
  }

  @Test
  void badInputAndNonAdminsAreRefusedAndTheRoutesAreDocumented() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      GatewayServer s =
          AlertTestSupport.instance(stack, AlertTestSupport.noChannel(receiver), close);
      String m = GatewayStack.MASTER_KEY;
      assertThat(
              post(s, m, "{\"scope_kind\":\"team\",\"scope_id\":\"t\",\"alert_thresholds\":[1.5]}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              post(
                      s,
                      m,
                      "{\"scope_kind\":\"team\",\"scope_id\":\"t\",\"alert_thresholds\":[\"x\"]}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              post(s, m, "{\"scope_kind\":\"team\",\"scope_id\":\"t\",\"max_budget\":1}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(post(s, m, "{\"scope_kind\":\"planet\",\"scope_id\":\"t\"}").statusCode())
          .isEqualTo(400);
      assertThat(
              post(s, m, "{\"scope_kind\":\"team\",\"scope_id\":\"t\",\"soft_budget\":-1}")
                  .statusCode())
          .isEqualTo(400);
      String userKey = stack.userKey("drafting");
      assertThat(
              post(s, userKey, "{\"scope_kind\":\"global\",\"alert_thresholds\":[0.5]}")
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              post(s, null, "{\"scope_kind\":\"global\",\"alert_thresholds\":[0.5]}").statusCode())
          .isEqualTo(401);

      JsonNode doc = JSON.readTree(get(s, "/openapi.json", null).body());
      List<String> alertRoutes = s.routes().stream().filter(r -> r.contains(" /alert/")).toList();
      assertThat(alertRoutes).hasSize(3);
      for (String route : alertRoutes) {
        String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
        String path = route.substring(route.indexOf(' ') + 1);
        assertThat(doc.path("paths").path(path).has(method)).as(route + " is documented").isTrue();
      }
    } finally {
      for (AutoCloseable c : close.reversed()) {
        c.close();
      }
    }
  }

  /**
   * LiteLLM's soft_budget and our alert_thresholds on /key/generate, /user/new, /team/update:
   * stored as the object's thresholds after the core accepted the change; a bad value is one 400
   * with the object's own problems, and nothing is created.
   */
  @Test
  void keyUserAndTeamRoutesAcceptSoftBudgetAndAlertThresholds() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      GatewayServer s =
          AlertTestSupport.instance(stack, AlertTestSupport.noChannel(receiver), close);
      String m = GatewayStack.MASTER_KEY;
      PostgresAlerts alerts = stack.adapters.alerts();

      HttpResponse<String> user =
          post(
              s,
              "/user/new",
              m,
              "{\"user_id\":\"ann-alerts\",\"teams\":[\"drafting\"],\"auto_create_key\":false,"
                  + "\"soft_budget\":0.01,\"soft_budget_duration\":\"1d\"}");
      assertThat(user.statusCode()).as(user.body()).isEqualTo(200);
      assertThat(alerts.thresholds("USER", "ann-alerts").orElseThrow().softDailyNanos())
          .contains(10_000_000L);

      HttpResponse<String> key =
          post(
              s,
              "/key/generate",
              m,
              "{\"user_id\":\"ann-alerts\",\"alert_thresholds\":[0.5,0.75],\"soft_budget\":2}");
      assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
      String keyId = JSON.readTree(key.body()).path("token").asText();
      var kt = alerts.thresholds("KEY", keyId).orElseThrow();
      assertThat(kt.fractionsBp()).contains(List.of(5000, 7500));
      assertThat(kt.softMonthlyNanos()).as("no budget_duration: monthly").contains(2_000_000_000L);

      HttpResponse<String> team =
          post(s, "/team/update", m, "{\"team_id\":\"coding\",\"alert_thresholds\":[0.9]}");
      assertThat(team.statusCode()).as(team.body()).isEqualTo(200);
      assertThat(alerts.thresholds("TEAM", "coding").orElseThrow().fractionsBp())
          .contains(List.of(9000));

      HttpResponse<String> bad =
          post(
              s,
              "/key/generate",
              m,
              "{\"user_id\":\"ann-alerts\",\"key_alias\":\"never\",\"alert_thresholds\":[2],"
                  + "\"models\":\"not-a-list\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("alert_thresholds").contains("models");
      assertThat(get(s, "/key/info?key=never", m).statusCode())
          .as("nothing created")
          .isNotEqualTo(200);
    } finally {
      for (AutoCloseable c : close.reversed()) {
        c.close();
      }
    }
  }

  private static HttpResponse<String> post(GatewayServer s, String key, String body)
      throws Exception {
    return post(s, "/alert/thresholds", key, body);
  }

  private static HttpResponse<String> post(GatewayServer s, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(GatewayServer s, String path, String key)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> chat(GatewayServer s, String key) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
