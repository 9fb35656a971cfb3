package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.testing.ScriptedProvider;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpendCommandTest extends CommandTest {

  /** Nova Micro: 10 x 35 + 1,000 x 140 nano-USD = $0.00014035 per request. */
  private static final String ONE_REQUEST = "0.00014035";

  @BeforeEach
  void spend() throws Exception {
    seedOnboarded();
    List<String> lines = Files.readAllLines(cli.workDir.resolve("keys.csv"));
    // Keys are written in the order they were issued, which parallel onboarding does not fix.
    String user1 = keyOf(lines, "user1@example.com");
    String user2 = keyOf(lines, "user2@example.com");
    Gateway gateway =
        Gateway.builder()
            .stores(cli.stores())
            .provider(new ScriptedProvider("bedrock").usage(10, 1_000))
            .clock(cli.clock)
            .config(GatewayConfig.defaults())
            .build();
    // Yesterday: one request by user1; today: two by user1, one by user2.
    cli.clock.advance(Duration.ofDays(-1));
    gateway.chat(gateway.authenticate(user1), ChatRequest.of("model-cheap", "a"));
    cli.clock.advance(Duration.ofDays(1));
    gateway.chat(gateway.authenticate(user1), ChatRequest.of("model-cheap", "b"));
    gateway.chat(gateway.authenticate(user1), ChatRequest.of("model-cheap", "c"));
    gateway.chat(gateway.authenticate(user2), ChatRequest.of("model-balanced", "d"));
  }

  private static String keyOf(List<String> keyFile, String email) {
    return keyFile.stream()
        .filter(l -> l.startsWith(email + ","))
        .findFirst()
        .orElseThrow()
        .split(",")[5];
  }

  @Test
  void reportByTeamShowsTotalsAgainstBudgets() {
    var r = ok("spend", "report", "--by", "team", "--from", "2026-11-01", "--to", "2026-11-30");

    assertThat(r.out())
        .contains("spend by team from 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z (UTC)");
    String drafting =
        r.out().lines().filter(l -> l.startsWith("drafting")).findFirst().orElseThrow();
    // 3 requests this month, 2 of them today; one member: $0.017/day, $0.5/month.
    assertThat(drafting.split("\\s+"))
        .containsExactly(
            "drafting",
            "3",
            "30",
            "3000",
            "0.00042105",
            "0.017",
            "0.0002807",
            "1.7",
            "0.5",
            "0.00042105",
            "0.1");
    assertThat(r.out()).contains("TOTAL");
  }

  @Test
  void reportByUserKeyModelAndDayInEveryFormat() throws Exception {
    var byUser = ok("spend", "report", "--by", "user", "--format", "json");
    var byKey = ok("spend", "report", "--by", "key", "--format", "csv");
    var byModel = ok("spend", "report", "--by", "model");
    var byDay = ok("spend", "report", "--by", "day", "--format", "csv");

    JsonNode users = new ObjectMapper().readTree(byUser.out());
    assertThat(users).hasSize(2);
    assertThat(users.get(0).get("user").asText()).isEqualTo("user1@example.com");
    assertThat(users.get(0).get("requests").asLong()).isEqualTo(3);
    assertThat(users.get(0).get("daily_budget_usd").decimalValue()).isEqualByComparingTo("0.017");
    assertThat(byKey.out().lines().findFirst().orElseThrow())
        .startsWith("\"key\",\"requests\",\"input_tokens\"");
    assertThat(byKey.out().lines()).hasSize(4); // header, 2 keys, TOTAL
    assertThat(byModel.out())
        .contains("model-cheap")
        .contains("model-balanced")
        .doesNotContain("budget");
    assertThat(byDay.out())
        .contains("\"2026-11-26\",\"1\",\"10\",\"1000\",\"" + ONE_REQUEST + "\"")
        .contains("\"2026-11-27\",\"3\",");
  }

  @Test
  void topListsTheHeaviestUsersOfTheCurrentWindow() {
    var daily = ok("spend", "top");
    var monthly = ok("spend", "top", "--window", "monthly", "--limit", "1", "--format", "csv");

    assertThat(daily.out()).contains("top users, daily window 2026-11-27 (UTC)");
    assertThat(daily.out().lines().skip(2).findFirst().orElseThrow().split("\\s+"))
        .containsExactly("1", "user1@example.com", "drafting", "2", "0.0002807", "0.017", "1.7");
    assertThat(monthly.out().lines()).hasSize(2);
    assertThat(monthly.out())
        .contains("\"1\",\"user1@example.com\",\"drafting\",\"3\",\"0.00042105\",\"0.5\",\"0.1\"");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(fails(ExitCode.USAGE, "spend", "report", "--by", "planet").err()).contains("--by");
    assertThat(fails(ExitCode.USAGE, "spend", "report", "--from", "yesterday").err())
        .contains("not a date");
    assertThat(
            fails(ExitCode.USAGE, "spend", "report", "--from", "2026-11-27", "--to", "2026-11-01")
                .err())
        .contains("--from must be before --to");
    assertThat(fails(ExitCode.USAGE, "spend", "top", "--window", "hourly").err())
        .contains("--window");
  }
}
