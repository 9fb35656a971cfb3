package io.llmgateway.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.server.support.GatewayStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/gateway-dashboard.json: every PromQL query names only metrics a running server
 * exports. The server (real PostgreSQL, the Bedrock adapter on the stub) answers a few successful,
 * refused and failed requests; the metric names are the sample names of its {@code /metrics}
 * (histograms as {@code _bucket}, {@code _sum}, {@code _count}; counters as {@code _total}).
 */
class DashboardQueriesTest {
  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "gateway-dashboard.json");
  static final String CHAT =
      """
      {"model": "model-cheap", "messages": [{"role": "user", "content": "Hi"}]}""";
  static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "inf",
          "nan");
  static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @Test
  void everyQueryOfTheDashboardNamesAMetricTheServerExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    collect(dashboard, queries);
    assertThat(queries).as("PromQL queries in the dashboard").hasSizeGreaterThan(10);
    Set<String> exported;
    try (GatewayStack stack = GatewayStack.start()) {
      String key = stack.userKey("drafting");
      stack.stub.enqueue(StubResponse.text("hello", 10, 5));
      assertThat(stack.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
      assertThat(
              stack
                  .post("/v1/chat/completions", key, CHAT.replace("model-cheap", "model-reasoning"))
                  .statusCode())
          .isEqualTo(403);
      for (int i = 0; i < 3; i++) { // every attempt (and failover) fails
        stack.stub.enqueue(StubResponse.error(500, "InternalServerException", "boom"));
      }
      assertThat(stack.post("/v1/chat/completions", key, CHAT).statusCode()).isGreaterThan(500);
      assertThat(stack.server.gateway().flushSettlements(java.time.Duration.ofSeconds(10)))
          .isTrue();
      exported = names(stack.get("/metrics", null).body());
    }
    Set<String> named = new TreeSet<>();
    queries.forEach(q -> named.addAll(metricNames(q)));
    assertThat(named)
        .as("metrics the dashboard queries")
        .contains(
            "gateway_team_spend_usd_total",
            "gateway_team_budget_remaining_usd",
            "gateway_requests_refused_total",
            "gateway_http_requests_seconds_bucket",
            "gateway_upstream_failures_total");
    assertThat(exported).as("metrics the server exports").containsAll(named);
  }

  @Test
  void metricNamesAreReadFromPromQl() {
    assertThat(
            metricNames(
                "histogram_quantile(0.95, sum by (le, deployment) (rate(a_bucket{route=\"/x\","
                    + " b=~\"c\"}[$__rate_interval]))) / ignoring (x) b_total * 3600"))
        .containsExactlyInAnyOrder("a_bucket", "b_total");
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isObject() && node.has("expr")) {
      out.add(node.get("expr").asText());
    }
    node.forEach(child -> collect(child, out));
  }

  /** Sample names in a Prometheus text exposition. */
  static Set<String> names(String exposition) {
    return exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The metric names in one PromQL expression: identifiers that are not a function (followed by
   * {@code (}), a keyword, a label in {@code {...}} or in {@code by/without/on/ignoring (...)}.
   */
  static Set<String> metricNames(String promql) {
    String s =
        promql
            .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
            .replaceAll("\\{[^}]*\\}", " ")
            .replaceAll("\\[[^]]*\\]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> out = new TreeSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String word = m.group();
      int after = m.end();
      while (after < s.length() && s.charAt(after) == ' ') {
        after++;
      }
      boolean function = after < s.length() && s.charAt(after) == '(';
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!function && !number && !PROMQL_WORDS.contains(word.toLowerCase())) {
        out.add(word);
      }
    }
    return out;
  }
}
