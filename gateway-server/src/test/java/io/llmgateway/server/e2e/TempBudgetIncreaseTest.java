package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.support.GatewayStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, temporary budget increases end to end: real HTTP, the official OpenAI SDK, two gateway
 * instances (budget leases on, the server's default) on one PostgreSQL, one movable clock. Every
 * request here is billed $0.0042 by the stub (100,000 input + 5,000 output tokens on model-cheap)
 * and holds a worst case just above that.
 */
class TempBudgetIncreaseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MASTER = GatewayStack.MASTER_KEY;
  private static final String PROMPT = "x".repeat(100_000);

  @Test
  void aRaisedKeyIsAdmittedUntilExpiryAndRefusedFromTheExpiryOnEveryInstance() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      GatewayServer second = stack.anotherInstance(Providers.bedrock(stack.stub.settings()));
      String key = teamKey(stack, "temp", "ann", 0.005);
      OpenAIClient a = stack.client(key);
      OpenAIClient b = client(second, key);

      chat(stack, a); // $0.0042 of $0.005: the next one does not fit
      assertRefused(stack, b);
      assertRefused(stack, a);

      Instant expiry = stack.clock.instant().plus(Duration.ofHours(1));
      ok(stack.post("/key/update", MASTER, increase(key, "0.02", expiry)));

      // Raised to $0.025: admitted on both instances (each on its own budget lease).
      chat(stack, a);
      chat(stack, b);
      stack.clock.set(expiry.minusMillis(1));
      chat(stack, b); // $0.0168 committed, on the raised limit up to its last millisecond

      stack.clock.set(expiry);
      assertRefused(stack, b);
      assertRefused(stack, a);
      stack.clock.set(expiry.plus(Duration.ofMinutes(5)));
      assertRefused(stack, a);
      assertRefused(stack, b);

      JsonNode info = ok(stack.get("/key/info?key=" + key, MASTER)).get("info");
      assertThat(info.get("temp_budget_increase").decimalValue()).isEqualByComparingTo("0.02");
      assertThat(info.get("budget_forecast").get("daily").get("limit").decimalValue())
          .as("the limit in force after expiry")
          .isEqualByComparingTo("0.005");
      assertThat(info.get("budget_forecast").get("daily").get("spend").decimalValue())
          .isEqualByComparingTo("0.0168");
    }
  }

  @Test
  void aTeamAdminCannotRaiseAnotherTeamsKeyButCanRaiseItsOwn() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      String key = teamKey(stack, "temp", "ann", 0.005);
      String other = teamKey(stack, "other", "otto", 0.005);
      String otherAdmin =
          ok(stack.post(
                  "/key/generate",
                  MASTER,
                  "{\"user_id\":\"olga\",\"team_id\":\"other\",\"key_type\":\"team_admin\"}"))
              .get("key")
              .asText();
      Instant expiry = stack.clock.instant().plus(Duration.ofDays(1));

      HttpResponse<String> refused =
          stack.post("/key/update", otherAdmin, increase(key, "5", expiry));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
      assertThat(storedIncrease(stack, key)).isEmpty();

      ok(stack.post("/key/update", otherAdmin, increase(other, "0.01", expiry)));
      assertThat(storedIncrease(stack, other))
          .contains(new BudgetIncrease(io.llmgateway.core.money.Money.ofUsd("0.01"), expiry));
      // ... and it is in the audit log, as the team admin's change
      JsonNode audit = ok(stack.get("/audit/logs?object_type=key", MASTER));
      assertThat(audit.toString()).contains("temp_budget_increase").contains("0.01");
    }
  }

  @Test
  void invalidIncreasesAreRefusedWith400AndWriteNothing() throws Exception {
    try (GatewayStack stack = GatewayStack.start()) {
      String key = teamKey(stack, "temp", "ann", 0.005);
      Instant now = stack.clock.instant();
      String inADay = now.plus(Duration.ofDays(1)).toString();
      String[][] cases = {
        {
          "{\"temp_budget_increase\":0,\"temp_budget_expiry\":\"" + inADay + "\"}",
          "temp_budget_increase"
        },
        {
          "{\"temp_budget_increase\":-1,\"temp_budget_expiry\":\"" + inADay + "\"}",
          "temp_budget_increase"
        },
        {
          "{\"temp_budget_increase\":\"lots\",\"temp_budget_expiry\":\"" + inADay + "\"}",
          "temp_budget_increase"
        },
        {"{\"temp_budget_increase\":1}", "temp_budget_expiry"},
        {"{\"temp_budget_expiry\":\"" + inADay + "\"}", "temp_budget_increase"},
        {"{\"temp_budget_increase\":1,\"temp_budget_expiry\":\"tomorrow\"}", "temp_budget_expiry"},
        {
          "{\"temp_budget_increase\":1,\"temp_budget_expiry\":\"" + now + "\"}",
          "temp_budget_expiry"
        },
        {
          "{\"temp_budget_increase\":1,\"temp_budget_expiry\":\"" + now.minusSeconds(1) + "\"}",
          "temp_budget_expiry"
        },
        {
          "{\"temp_budget_increase\":1,\"temp_budget_expiry\":\""
              + now.plus(Duration.ofDays(90)).plusSeconds(1)
              + "\"}",
          "temp_budget_expiry"
        },
      };
      for (String[] c : cases) {
        String body = "{\"key\":\"" + key + "\"," + c[0].substring(1);
        HttpResponse<String> r = stack.post("/key/update", MASTER, body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).as(body).isEqualTo(c[1]);
        assertThat(storedIncrease(stack, key)).as(body).isEmpty();
        HttpResponse<String> u =
            stack.post("/user/update", MASTER, "{\"user_id\":\"ann\"," + c[0].substring(1));
        assertThat(u.statusCode()).as("user: " + body + " -> " + u.body()).isEqualTo(400);
        HttpResponse<String> t =
            stack.post("/team/update", MASTER, "{\"team_id\":\"temp\"," + c[0].substring(1));
        assertThat(t.statusCode()).as("team: " + body + " -> " + t.body()).isEqualTo(400);
      }
      assertThat(stack.stores().users().findById("ann").orElseThrow().budgetIncrease()).isEmpty();
      assertThat(stack.stores().teams().findById("temp").orElseThrow().budgetIncrease()).isEmpty();
      // Exactly 90 days is allowed.
      ok(stack.post("/key/update", MASTER, increase(key, "1", now.plus(Duration.ofDays(90)))));
    }
  }

  /**
   * The forecast, by hand: at 2026-11-27T06:00Z a quarter of the day has passed, and 26.25 of
   * November's 30 days. $0.0042 spent: the day projects to 4 × 0.0042 = $0.0168, the month to
   * 0.0042 × 720 h / 630 h = $0.0048. The daily $0.012 runs out at 6 h × 0.012 / 0.0042 = 120/7 h
   * after midnight = 17:08:34.285714285714... (rounded up to the nanosecond); the monthly $1 not
   * within November.
   */
  @Test
  void theForecastProjectsTheAverageBurnRateToTheEndOfEachWindow() throws Exception {
    try (GatewayStack stack = GatewayStack.startAt(Instant.parse("2026-11-27T06:00:00Z"))) {
      ok(stack.post("/team/new", MASTER, "{\"team_alias\":\"temp\",\"models\":[\"model-cheap\"]}"));
      String key =
          ok(stack.post(
                  "/key/generate",
                  MASTER,
                  "{\"team_id\":\"temp\",\"user_id\":\"ann\",\"budgets\":["
                      + "{\"window\":\"daily\",\"max_budget\":0.012},"
                      + "{\"window\":\"monthly\",\"max_budget\":1}]}"))
              .get("key")
              .asText();
      chat(stack, stack.client(key));

      JsonNode forecast =
          ok(stack.get("/key/info?key=" + key, MASTER)).get("info").get("budget_forecast");
      JsonNode daily = forecast.get("daily");
      assertThat(daily.get("spend").decimalValue()).isEqualByComparingTo("0.0042");
      assertThat(daily.get("limit").decimalValue()).isEqualByComparingTo("0.012");
      assertThat(daily.get("projected").decimalValue()).isEqualByComparingTo("0.0168");
      assertThat(daily.get("projected_exhaustion_at").asText())
          .isEqualTo("2026-11-27T17:08:34.285714286Z");
      JsonNode monthly = forecast.get("monthly");
      assertThat(monthly.get("spend").decimalValue()).isEqualByComparingTo("0.0042");
      assertThat(monthly.get("projected").decimalValue()).isEqualByComparingTo("0.0048");
      assertThat(monthly.get("projected_exhaustion_at").isNull()).isTrue();

      // The same numbers on the user (its member budgets are none here: no windows) and team.
      JsonNode user = ok(stack.get("/user/info?user_id=ann", MASTER));
      assertThat(user.toString()).contains("budget_forecast");
    }
  }

  // --- helpers ---

  /**
   * A team of that name (model-cheap, no budgets) and a key of {@code user} with a daily budget.
   */
  private static String teamKey(GatewayStack stack, String team, String user, double daily)
      throws Exception {
    if (stack.stores().teams().findById(team).isEmpty()) {
      ok(
          stack.post(
              "/team/new",
              MASTER,
              "{\"team_id\":\""
                  + team
                  + "\",\"team_alias\":\""
                  + team
                  + "\",\"models\":[\"model-cheap\"]}"));
    }
    return ok(stack.post(
            "/key/generate",
            MASTER,
            "{\"team_id\":\""
                + team
                + "\",\"user_id\":\""
                + user
                + "\",\"budgets\":[{\"window\":\"daily\",\"max_budget\":"
                + daily
                + "}]}"))
        .get("key")
        .asText();
  }

  private static String increase(String key, String usd, Instant expiry) {
    return "{\"key\":\""
        + key
        + "\",\"temp_budget_increase\":"
        + usd
        + ",\"temp_budget_expiry\":\""
        + expiry
        + "\"}";
  }

  private static Optional<BudgetIncrease> storedIncrease(GatewayStack stack, String key) {
    return stack
        .stores()
        .keys()
        .findByHash(io.llmgateway.core.identity.KeyHash.of(key))
        .orElseThrow()
        .budgetIncrease();
  }

  private static OpenAIClient client(GatewayServer server, String key) {
    return OpenAIOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(server.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private static ChatCompletionCreateParams request() {
    return ChatCompletionCreateParams.builder()
        .model("model-cheap")
        .addUserMessage(PROMPT)
        .maxCompletionTokens(5_000)
        .build();
  }

  private static void chat(GatewayStack stack, OpenAIClient client) {
    stack.stub.enqueue(StubResponse.text("ok", 100_000, 5_000));
    assertThat(client.chat().completions().create(request()).choices()).isNotEmpty();
  }

  private static void assertRefused(GatewayStack stack, OpenAIClient client) {
    assertThatThrownBy(() -> client.chat().completions().create(request()))
        .isInstanceOf(RateLimitException.class)
        .hasMessageContaining("budget");
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
