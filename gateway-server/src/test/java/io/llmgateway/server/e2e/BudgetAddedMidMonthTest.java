package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.server.support.GatewayStack;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, end to end over the server on real PostgreSQL: a team spends $0.0126 this month with no
 * team budget; a monthly team budget of $0.0130 is then added over the admin API. The window has
 * $0.0004 left, so the next $0.0042 request is refused. Before the fix the new window started at $0
 * and admitted it.
 */
class BudgetAddedMidMonthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMPT = "x".repeat(100_000);

  static GatewayStack stack;

  @BeforeAll
  static void start() {
    stack = GatewayStack.startAt(Instant.parse("2026-11-14T09:00:00Z"));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** One request reporting 100,000 input and 5,000 output tokens: $0.0042 on model-cheap. */
  private static HttpResponse<String> chat(String key) throws Exception {
    stack.stub.enqueue(StubResponse.text("ok", 100_000, 5_000));
    return stack.post(
        "/v1/chat/completions",
        key,
        "{\"model\":\"model-cheap\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\","
            + "\"content\":\""
            + PROMPT
            + "\"}]}");
  }

  @Test
  void aTeamBudgetAddedMidMonthCountsWhatTheTeamSpentThisMonth() throws Exception {
    String master = GatewayStack.MASTER_KEY;
    ok(stack.post("/team/new", master, "{\"team_alias\":\"late\",\"models\":[\"model-cheap\"]}"));
    String key =
        ok(stack.post("/key/generate", master, "{\"team_id\":\"late\",\"user_id\":\"lena\"}"))
            .get("key")
            .asText();
    for (int i = 0; i < 3; i++) {
      assertThat(chat(key).statusCode()).isEqualTo(200);
    }
    // The three rows are in the spend log before the budget is added. (Once, in a fresh-clone CI
    // run on a loaded machine, the third request's row was not yet visible to the seed and the
    // next request was admitted: the seed counts what the spend log holds; see docs/CORE.md.)
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (spendRows("lena") < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(spendRows("lena")).isEqualTo(3);

    ok(
        stack.post(
            "/team/update",
            master,
            "{\"team_id\":\"late\",\"max_budget\":0.0130,\"budget_duration\":\"1mo\"}"));

    HttpResponse<String> next = chat(key);
    assertThat(next.statusCode()).as(next.body()).isEqualTo(429);
    assertThat(next.body()).contains("budget_exceeded").contains("monthly");
    JsonNode info = ok(stack.get("/team/info?team_id=late", master));
    assertThat(info.toString()).contains("0.0126");
  }

  private static long spendRows(String user) {
    return stack
        .admin
        .spendLogs(
            io.llmgateway.core.identity.Principal.MASTER,
            new io.llmgateway.core.spend.SpendQuery(
                java.util.Optional.empty(),
                java.util.Optional.of(user),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                io.llmgateway.core.PageRequest.first(10)))
        .items()
        .size();
  }
}
