package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --format json} and {@code --format csv} of every listing command, read back by Jackson:
 * money is an exact JSON number in USD, counts are integers, lists are arrays, absent is null; CSV
 * quotes every field and defuses formula starts.
 */
class OutputFormatsTest extends CommandTest {
  // Floats as BigDecimal: "0.017" must arrive as exactly 0.017, not the double nearest to it.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @BeforeEach
  void data() throws Exception {
    seedOnboarded();
    cli.write(
        "more.csv",
        "email,tier,alias,budget,rpm\nann@example.com,coding,=1+1,0.05,20\n"
            + "bob@example.com,coding,@SUM(A1),,\n");
    ok("users", "onboard", "--csv", "more.csv", "--out", "keys.csv");
  }

  private JsonNode json(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--format";
    all[args.length + 1] = "json";
    JsonNode n = JSON.readTree(ok(all).out());
    assertThat(n.isArray()).isTrue();
    return n;
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText())) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  private static void usd(JsonNode n, String expected) {
    assertThat(n.getNodeType()).as(String.valueOf(n)).isEqualTo(JsonNodeType.NUMBER);
    assertThat(n.isBigDecimal() || n.isIntegralNumber()).isTrue();
    assertThat(n.decimalValue()).isEqualByComparingTo(expected);
  }

  @Test
  void teamsListGivesMoneyAsNumbersAndModelsAsAnArray() throws Exception {
    JsonNode drafting = find(json("teams", "list"), "team_id", "drafting");

    assertThat(drafting.get("models").isArray()).as(drafting.toString()).isTrue();
    assertThat(drafting.get("models").get(0).asText()).isEqualTo("model-cheap");
    usd(drafting.get("member_daily_usd"), "0.017");
    usd(drafting.get("member_monthly_usd"), "0.5");
    assertThat(drafting.get("blocked").isBoolean()).isTrue();
  }

  @Test
  void usersListGivesBudgetsAndRpmAsNumbersAndNullWhenAbsent() throws Exception {
    JsonNode users = json("users", "list");
    JsonNode ann = find(users, "user_id", "ann@example.com");
    JsonNode bob = find(users, "user_id", "bob@example.com");

    usd(ann.get("daily_budget_usd"), "0.05");
    assertThat(ann.get("rpm").isIntegralNumber()).as(ann.toString()).isTrue();
    assertThat(ann.get("rpm").asLong()).isEqualTo(20);
    assertThat(bob.get("daily_budget_usd").isNull()).as(bob.toString()).isTrue();
    assertThat(bob.get("rpm").isNull()).isTrue();
    assertThat(bob.get("alias").asText()).isEqualTo("@SUM(A1)"); // JSON is not defused
  }

  @Test
  void keysListGivesNullForAbsentValues() throws Exception {
    JsonNode keys = json("keys", "list");
    assertThat(keys).hasSize(5);
    for (JsonNode k : keys) {
      assertThat(k.get("key_id").isTextual()).isTrue();
      assertThat(k.get("team_id").isTextual()).isTrue();
      assertThat(k.get("blocked") == null || k.get("blocked").isBoolean()).isTrue();
    }
  }

  @Test
  void modelsListGivesPricesAndLimitsAsNumbers() throws Exception {
    JsonNode cheap = find(json("models", "list"), "model_name", "model-cheap");

    usd(cheap.get("input_usd_per_1m"), "0.035");
    usd(cheap.get("output_usd_per_1m"), "0.14");
    assertThat(cheap.get("context_window").isIntegralNumber()).as(cheap.toString()).isTrue();
  }

  @Test
  void spendReportsGiveTokensAsIntegersAndMoneyAsExactNumbers() throws Exception {
    JsonNode top = json("spend", "top");
    JsonNode byUser = json("spend", "report", "--by", "user");
    JsonNode byModel = json("spend", "report", "--by", "model");
    // No traffic: empty arrays, never a TOTAL row or text.
    assertThat(top.isArray()).isTrue();
    assertThat(byUser.isArray()).isTrue();
    assertThat(byModel.isArray()).isTrue();
  }

  @Test
  void everyCsvQuotesEveryFieldAndDefusesFormulas() throws Exception {
    List<String[]> commands =
        List.of(
            new String[] {"teams", "list"},
            new String[] {"users", "list"},
            new String[] {"keys", "list"},
            new String[] {"models", "list"},
            new String[] {"spend", "report", "--by", "user"},
            new String[] {"spend", "top"});
    for (String[] c : commands) {
      String[] all = new String[c.length + 2];
      System.arraycopy(c, 0, all, 0, c.length);
      all[c.length] = "--format";
      all[c.length + 1] = "csv";
      String csv = ok(all).out();
      for (String line : csv.lines().toList()) {
        assertThat(line).as(String.join(" ", c)).startsWith("\"").endsWith("\"");
        assertThat(line.split("\",\"", -1).length)
            .as(line)
            .isEqualTo(csv.lines().findFirst().orElseThrow().split("\",\"", -1).length);
      }
    }
    String users = ok("users", "list", "--format", "csv").out();
    List<List<String>> rows =
        new CsvMapper()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .readerForListOf(String.class)
            .with(CsvSchema.emptySchema())
            .<List<String>>readValues(users)
            .readAll();
    assertThat(rows.get(0)).contains("user_id", "daily_budget_usd");
    assertThat(rows).anySatisfy(r -> assertThat(r).contains("'=1+1", "0.05", "20"));
    assertThat(rows).anySatisfy(r -> assertThat(r).contains("'@SUM(A1)"));
    assertThat(users).doesNotContainPattern("(^|[,;\\t\\n\"])[=+@]");
  }
}
