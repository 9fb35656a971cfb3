package io.llmgateway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Money in and out of admin JSON, exactly; field-by-field reading with named refusals. */
class AdminJsonTest {
  private final AdminJson json = new AdminJson(new Json(ServerConfig.Limits.DEFAULT));

  private Body body(String text, String... allowed) throws Exception {
    return Body.of(json.parseObject(text.getBytes(StandardCharsets.UTF_8)), Set.of(allowed));
  }

  @Test
  void floatsAreReadAsExactDecimals() throws Exception {
    assertThat(body("{\"max_budget\": 0.017}", "max_budget").money("max_budget"))
        .contains(Money.ofUsd("0.017"));
    assertThat(body("{\"max_budget\": 1e-7}", "max_budget").money("max_budget"))
        .contains(Money.ofNanos(100));
    assertThat(body("{\"max_budget\": 0.1}", "max_budget").money("max_budget"))
        .contains(Money.ofNanos(100_000_000));
  }

  @Test
  void moneyIsWrittenFromItsExactDecimalInPlainNotation() {
    var o = AdminJson.object();
    o.set("a", AdminJson.money(Money.ofUsd("0.017")));
    o.set("b", AdminJson.money(Money.ofNanos(100)));
    o.set("c", AdminJson.money(Money.ZERO));
    o.set("d", AdminJson.money(Money.ofUsd("1000000")));
    assertThat(new String(json.write(o), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":0.017,\"b\":0.0000001,\"c\":0,\"d\":1000000}");
  }

  @Test
  void unknownFieldsAreRefusedNamingThem() {
    assertThatThrownBy(() -> body("{\"spend\": 1}", "max_budget"))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).param()).contains("spend"))
        .hasMessageContaining("unknown or read-only field 'spend'");
  }

  @Test
  void nestedObjectsNameTheFullPath() throws Exception {
    Body b = body("{\"litellm_params\": {\"api_base\": \"x\"}}", "litellm_params");
    assertThatThrownBy(() -> b.object("litellm_params", Set.of("model")))
        .satisfies(
            e ->
                assertThat(((InvalidRequestException) e).param())
                    .contains("litellm_params.api_base"));
  }

  @Test
  void nullMeansAbsent() throws Exception {
    Body b = body("{\"key_alias\": null, \"max_budget\": null}", "key_alias", "max_budget");
    assertThat(b.text("key_alias")).isEmpty();
    assertThat(b.money("max_budget")).isEmpty();
  }

  @Test
  void durationsFollowLiteLlm() {
    assertThat(Body.duration("d", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Body.duration("d", "30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Body.duration("d", "30h")).isEqualTo(Duration.ofHours(30));
    assertThat(Body.duration("d", "30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Body.duration("d", "2w")).isEqualTo(Duration.ofDays(14));
    assertThat(Body.duration("d", "1mo")).isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(() -> Body.duration("d", "0s")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Body.duration("d", "999999d"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Body.duration("d", "1y")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void maxBudgetWithoutDurationIsMonthlyAndTheListAddsWindows() throws Exception {
    assertThat(
            Limits.budgets(
                body("{\"max_budget\": 2}", "max_budget"),
                "max_budget",
                "budget_duration",
                "budgets"))
        .contains(List.of(BudgetLimit.monthly(Money.ofUsd("2"))));
    Body both =
        body(
            "{\"max_budget\": 0.017, \"budget_duration\": \"1d\","
                + " \"budgets\": [{\"window\": \"monthly\", \"max_budget\": 0.5}]}",
            "max_budget",
            "budget_duration",
            "budgets");
    assertThat(Limits.budgets(both, "max_budget", "budget_duration", "budgets").orElseThrow())
        .extracting(BudgetLimit::window)
        .containsExactly(BudgetWindow.DAILY, BudgetWindow.MONTHLY);
  }

  @Test
  void theAdminMapperKeepsTheServersParserLimits() {
    String deep = "{\"metadata\":" + "[".repeat(200) + "]".repeat(200) + "}";
    assertThatThrownBy(() -> json.parseObject(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(com.fasterxml.jackson.core.exc.StreamConstraintsException.class);
    assertThatThrownBy(() -> json.parseObject("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }
}
