package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Threshold changes are admin changes: each one, over {@code /alert/thresholds} or on the object's
 * own update route, is in {@code /audit/logs} with who, what, and the row before and after, like
 * {@code user.update}. Before, the audit log had no trace of them.
 */
class ThresholdAuditTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void thresholdChangesAreAuditedWithBeforeAndAfter() throws Exception {
    List<AutoCloseable> close = new ArrayList<>();
    try (GatewayStack stack = GatewayStack.start();
        Receiver receiver = new Receiver()) {
      GatewayServer s =
          AlertTestSupport.instance(stack, AlertTestSupport.noChannel(receiver), close);
      String user = stack.userKey("drafting", List.of()).key().userId().orElseThrow();
      String m = GatewayStack.MASTER_KEY;

      assertThat(
              post(
                      s,
                      "/alert/thresholds",
                      "{\"scope_kind\":\"user\",\"scope_id\":\""
                          + user
                          + "\",\"alert_thresholds\":[0.9],\"soft_budget\":0.0005,"
                          + "\"soft_budget_duration\":\"1d\"}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              post(
                      s,
                      "/user/update",
                      "{\"user_id\":\"" + user + "\",\"alert_thresholds\":[0.5, 0.8]}")
                  .statusCode())
          .isEqualTo(200);

      JsonNode rows =
          JSON.readTree(get(s, "/audit/logs?action=alert_thresholds.update&search=" + user, m))
              .path("data");
      List<JsonNode> mine = new ArrayList<>();
      rows.forEach(r -> mine.add(r));
      assertThat(mine).as(rows.toString()).hasSize(2);
      String createdBy =
          JSON.readTree(get(s, "/audit/logs?action=user.create&search=" + user, m))
              .path("data")
              .path(0)
              .path("changed_by")
              .asText();
      // newest first: the /user/update change, then the /alert/thresholds one
      JsonNode second = mine.get(0);
      JsonNode first = mine.get(1);
      for (JsonNode r : mine) {
        assertThat(r.path("table_name").asText()).isEqualTo("user");
        assertThat(r.path("object_id").asText()).isEqualTo(user);
        assertThat(r.path("changed_by").asText()).isNotEmpty().isEqualTo(createdBy);
      }
      assertThat(first.path("before_value").size()).as("no row before").isZero();
      assertThat(first.path("updated_values").path("alert_thresholds").toString())
          .isEqualTo("[\"0.9\"]");
      assertThat(first.path("updated_values").path("soft_budget_daily").asText())
          .isEqualTo("0.0005");
      assertThat(second.path("before_value")).isEqualTo(first.path("updated_values"));
      assertThat(second.path("updated_values").path("alert_thresholds").toString())
          .isEqualTo("[\"0.5\",\"0.8\"]");
      assertThat(second.path("updated_values").path("soft_budget_daily").asText())
          .as("kept")
          .isEqualTo("0.0005");
    } finally {
      for (AutoCloseable c : close.reversed()) {
        c.close();
      }
    }
  }

  private static HttpResponse<String> post(GatewayServer s, String path, String body)
      throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayStack.MASTER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String get(GatewayServer s, String path, String key) throws Exception {
    HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                    .header("Authorization", "Bearer " + key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
