package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile values an admin key can send (issue 15, findings 2, 9 and 13), over real HTTP against
 * PostgreSQL and the Bedrock stub: SSRF regions, numbers of absurd magnitude, look-alike ids and
 * out-of-range dates. Each is a fast 400 in the OpenAI error shape naming the field, with a small
 * body that does not echo the value. Sibling of {@link AdminInputSafetyTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileValuesTest {
  private static final String NOVA = "bedrock/converse/us.amazon.nova-micro-v1:0";
  private static final String ARN =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3";

  private AdminTestServer s;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.addSeedModels();
    s.post("/team/new", MASTER, "{\"team_alias\":\"drafting\"}");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static void assertRefused(AdminTestServer.Answer a, String param) {
    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(a.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(a.param()).as(a.text()).isEqualTo(param);
    assertThat(a.text()).hasSizeLessThan(1024).doesNotContain("Exception", "at io.");
  }

  private String modelNew(String region) {
    return "{\"model_name\": \"ssrf\", \"litellm_params\": {\"model\": \""
        + NOVA
        + "\", \"aws_region_name\": "
        + quote(region)
        + "}}";
  }

  @Test
  void aRegionOutsideTheAwsGrammarIsRefusedAtModelNewAndModelUpdate() {
    String id = s.post("/model/new", MASTER, modelNew("us-west-2")).json().get("model_id").asText();
    for (String region :
        List.of(
            "x@127.0.0.1:9#",
            "x@169.254.169.254#",
            "attacker.example/",
            "us-east-1.evil.com",
            "us-\u0435ast-1",
            "us-east-1\u200b",
            "")) {
      assertRefused(
          s.post("/model/new", MASTER, modelNew(region)), "litellm_params.aws_region_name");
      assertRefused(
          s.post(
              "/model/update",
              MASTER,
              "{\"model_id\": \""
                  + id
                  + "\", \"model_name\": \"ssrf\", \"litellm_params\": {\"model\": \""
                  + NOVA
                  + "\", \"aws_region_name\": "
                  + quote(region)
                  + "}}"),
          "litellm_params.aws_region_name");
    }
    String models = s.get("/model/info", MASTER).text();
    assertThat(models).doesNotContain("127.0.0.1", "169.254", "attacker", "evil");
    // The valid deployments still answer through the stub.
    String key = s.key("{\"models\": [\"model-cheap\", \"ssrf\"]}");
    assertThat(s.chat(key, "model-cheap").status()).isEqualTo(200);
    assertThat(s.chat(key, "ssrf").status()).isEqualTo(200);
  }

  @Test
  void moneyOfHostileMagnitudeIsAFastSmallRefusal() {
    List<String> values =
        List.of(
            "1e-99999",
            "1e2147483647",
            "1e-2147483647",
            "1e-999999999",
            "-1e-999999999",
            "9".repeat(60),
            "0." + "0".repeat(58) + "1",
            "9".repeat(900));
    long slowest = 0;
    for (String v : values) {
      for (String[] call :
          new String[][] {
            {"/key/generate", "{\"max_budget\": " + v + "}", "max_budget"},
            {"/team/new", "{\"team_alias\": \"t\", \"max_budget\": " + v + "}", "max_budget"},
            {"/user/new", "{\"user_id\": \"u-money\", \"max_budget\": " + v + "}", "max_budget"},
            {
              "/key/generate",
              "{\"budgets\": [{\"window\": \"daily\", \"max_budget\": " + v + "}]}",
              "max_budget"
            },
            {
              "/model/new",
              "{\"model_name\": \"p\", \"litellm_params\": {\"model\": \"bedrock/converse/custom\"},"
                  + " \"model_info\": {\"input_cost_per_token\": "
                  + v
                  + ", \"output_cost_per_token\": 0.000001}}",
              "model_info.input_cost_per_token"
            },
            {
              "/model/new",
              "{\"model_name\": \"p\", \"litellm_params\": {\"model\": \"bedrock/converse/custom\"},"
                  + " \"model_info\": {\"input_cost_per_million_tokens\": 1,"
                  + " \"output_cost_per_million_tokens\": "
                  + v
                  + "}}",
              "model_info.output_cost_per_million_tokens"
            }
          }) {
        long start = System.nanoTime();
        var a = s.post(call[0], MASTER, call[1]);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertRefused(a, a.param());
        if (v.length() <= 64) {
          assertThat(a.param()).as(call[1]).isEqualTo(call[2]);
        } // else the JSON parser refuses a number over 64 characters before any field is read.
        assertThat(a.text()).doesNotContain("00000000000", "99999999999");
        assertThat(ms)
            .as(call[0] + " " + v.substring(0, Math.min(20, v.length())))
            .isLessThan(1000);
        slowest = Math.max(slowest, ms);
      }
    }
    System.out.println("slowest hostile money refusal over HTTP: " + slowest + " ms");
  }

  @Test
  void negativeZeroIsTheAmountZero() {
    var a = s.post("/key/generate", MASTER, "{\"max_budget\": -0, \"budget_duration\": \"1d\"}");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(a.json().get("max_budget").asText()).isEqualTo("0");
  }

  @Test
  void lookAlikeInvisibleAndPathCharactersInIdsAndAliasesAreRefused() {
    for (String id :
        List.of("al\u200bice", "\u0430lice", "alice\u202e", "../keys/k1/unblock?", "a/b", "a#b")) {
      assertRefused(s.post("/user/new", MASTER, "{\"user_id\": " + quote(id) + "}"), "user_id");
      assertRefused(s.post("/key/generate", MASTER, "{\"user_id\": " + quote(id) + "}"), "user_id");
      assertRefused(
          s.post("/team/new", MASTER, "{\"team_id\": " + quote(id) + ", \"team_alias\": \"x\"}"),
          "team_id");
    }
    for (String alias : List.of("al\u200bice", "\u0430lice", "alice\u202e")) {
      assertRefused(
          s.post("/key/generate", MASTER, "{\"key_alias\": " + quote(alias) + "}"), "key_alias");
      assertRefused(
          s.post("/team/new", MASTER, "{\"team_alias\": " + quote(alias) + "}"), "team_alias");
    }
  }

  @Test
  void outOfRangeDatesAreA400NotA5xx() {
    String far = URLEncoder.encode("+999999999-12-31", StandardCharsets.UTF_8);
    String past = URLEncoder.encode("-999999999-01-01", StandardCharsets.UTF_8);
    String farInstant = URLEncoder.encode("+999999999-12-31T00:00:00Z", StandardCharsets.UTF_8);
    assertRefused(s.get("/spend/logs?start_date=" + far, MASTER), "start_date");
    assertRefused(s.get("/spend/logs?end_date=" + far, MASTER), "end_date");
    assertRefused(s.get("/spend/logs?start_date=" + past, MASTER), "start_date");
    assertRefused(s.get("/spend/logs?end_date=" + farInstant, MASTER), "end_date");
    assertRefused(
        s.get("/global/spend/report?start_date=" + far + "&end_date=" + far, MASTER), "start_date");
    assertRefused(
        s.post("/key/generate", MASTER, "{\"expires\": \"+999999999-12-31T00:00:00Z\"}"),
        "expires");
  }

  @Test
  void modelInfoHidesAccountIdsFromKeysThatAreNotAdmins() {
    var created =
        s.post(
            "/model/new",
            MASTER,
            "{\"model_name\": \"profiled\", \"litellm_params\": {\"model\": \"bedrock/converse/"
                + ARN
                + "\", \"aws_region_name\": \"us-east-1\"}, \"model_info\":"
                + " {\"input_cost_per_million_tokens\": 1, \"output_cost_per_million_tokens\": 2}}");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    String user = s.key("{\"models\": [\"profiled\"]}");
    for (String path : List.of("/model/info", "/v1/model/info")) {
      var mine = s.get(path, user);
      assertThat(mine.status()).isEqualTo(200);
      assertThat(mine.text()).contains("profiled").doesNotContain("123456789012", "arn:aws");
    }
    assertThat(s.get("/model/info", MASTER).text()).contains(ARN);
  }

  private static String quote(String v) {
    try {
      return AdminTestServer.JSON.writeValueAsString(v);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
