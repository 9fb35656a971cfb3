package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ALB in front of the ECS service: it drops invalid headers and outlasts silent streams, checks
 * readiness, serves HTTPS (HTTP then only redirects) when a certificate is given, closes idle
 * connections before the server does, is the only source of trusted forwarded headers, and keeps
 * {@code /metrics} inside unless told otherwise.
 */
class AlbPolicyTest {

  private static final TerraformTree TF = TerraformTree.load();
  private static final TerraformTree.Module DEV = TF.module("environments/dev");

  @Test
  void albDropsInvalidHeadersAndOutlastsSilentStreams() {
    var alb = TF.resources("aws_lb").getFirst();
    assertThat(alb.attr("drop_invalid_header_fields")).isEqualTo("true");
    assertThat(alb.attr("idle_timeout")).isEqualTo("var.idle_timeout");
    assertThat(
            Integer.parseInt(
                TF.module("modules/alb")
                    .variable("idle_timeout")
                    .orElseThrow()
                    .body()
                    .attribute("default")
                    .orElseThrow()))
        .as("above the 60 s default, which cuts slow SSE streams")
        .isGreaterThanOrEqualTo(300);
  }

  @Test
  void healthCheckUsesTheReadinessEndpoint() {
    var check =
        TF.resources("aws_lb_target_group").getFirst().body().blocks("health_check").getFirst();
    assertThat(check.body().attribute("path")).contains("var.health_check_path");
    assertThat(
            TF.module("modules/alb")
                .variable("health_check_path")
                .orElseThrow()
                .body()
                .attribute("default"))
        .contains("\"/health/readiness\"");
  }

  @Test
  void httpsWhenACertificateIsGivenAndHttpThenOnlyRedirects() {
    var listeners = TF.resources("aws_lb_listener");
    var https =
        listeners.stream().filter(l -> l.attr("port").equals("443")).findFirst().orElseThrow();
    assertThat(https.attr("protocol")).isEqualTo("\"HTTPS\"");
    assertThat(https.attr("count")).isEqualTo("local.https_enabled ? 1 : 0");
    assertThat(https.attr("ssl_policy")).isEqualTo("var.ssl_policy");

    var redirect =
        listeners.stream()
            .filter(
                l ->
                    l.attr("port").equals("80")
                        && l.attr("count").equals("local.https_enabled ? 1 : 0"))
            .findFirst()
            .orElseThrow();
    var action = redirect.body().blocks("default_action").getFirst().body();
    assertThat(action.attribute("type")).contains("\"redirect\"");
    assertThat(action.blocks("redirect").getFirst().body().attribute("protocol"))
        .contains("\"HTTPS\"");

    var plain =
        listeners.stream()
            .filter(
                l ->
                    l.attr("port").equals("80")
                        && l.attr("count").equals("local.https_enabled ? 0 : 1"))
            .findFirst()
            .orElseThrow();
    assertThat(plain.body().blocks("default_action").getFirst().body().attribute("type"))
        .contains("\"forward\"");
    assertThat(TF.module("modules/alb").local("https_enabled"))
        .contains("var.certificate_arn != \"\"");
  }

  /**
   * Issue 15, finding 7: the server must outlast the ALB on an idle kept-alive connection, or the
   * ALB forwards a request onto a connection the server is closing and answers 502.
   */
  @Test
  void serverIdleTimeoutOutlastsTheAlbs() {
    int alb = defaultOf(DEV, "alb_idle_timeout");
    int server = defaultOf(DEV, "gateway_idle_timeout_seconds");
    assertThat(server).as("GATEWAY_IDLE_TIMEOUT_SECONDS > ALB idle_timeout").isGreaterThan(alb);
    assertThat(defaultOf(TF.module("modules/ecs"), "idle_timeout"))
        .isGreaterThan(defaultOf(TF.module("modules/alb"), "idle_timeout"));

    assertThat(DEV.moduleArgument("alb", "idle_timeout")).isEqualTo("var.alb_idle_timeout");
    assertThat(DEV.moduleArgument("ecs", "idle_timeout"))
        .isEqualTo("var.gateway_idle_timeout_seconds");
    assertThat(DEV.moduleArgument("ecs", "alb_idle_timeout")).isEqualTo("var.alb_idle_timeout");
    assertThat(
            Expr.scalarMember(
                TF.module("modules/ecs").local("environment").orElseThrow(),
                "GATEWAY_IDLE_TIMEOUT_SECONDS"))
        .contains("tostring(var.idle_timeout)");
    assertThat(
            TF.resources("aws_ecs_task_definition").getFirst().body().blocks("lifecycle").stream()
                .flatMap(l -> l.body().blocks("precondition").stream())
                .map(p -> p.body().attribute("condition").orElse("")))
        .as("a plan with the server's timeout at or below the ALB's fails")
        .contains("var.idle_timeout > var.alb_idle_timeout");
  }

  /**
   * Issue 15, findings 4 and 6: the gateway believes X-Forwarded-For only from the ALB's subnets
   * (the public ones), so per-address limits see the real client and nobody else can forge one.
   */
  @Test
  void forwardedHeadersAreTrustedOnlyFromTheAlbSubnets() {
    // (The HCL reader's scalarMember splits at the comma inside join's separator: read the text.)
    assertThat(TF.module("modules/ecs").local("environment").orElseThrow())
        .containsPattern(
            "GATEWAY_TRUSTED_PROXIES\\s*=\\s*join\\(\",\",\\s*var\\.trusted_proxy_cidrs\\)");
    assertThat(DEV.moduleArgument("ecs", "trusted_proxy_cidrs"))
        .isEqualTo("var.public_subnet_cidrs");
    assertThat(DEV.moduleArgument("vpc", "public_subnet_cidrs"))
        .isEqualTo("var.public_subnet_cidrs");
  }

  /**
   * Issue 15, finding 6: /metrics is answered by the ALB (404) unless expose_metrics is set, on
   * whichever listener forwards (HTTPS, or HTTP without a certificate), and the tasks get a bearer
   * token for it either way.
   */
  @Test
  void metricsAreNotRoutedThroughThePublicAlbByDefault() {
    var alb = TF.module("modules/alb");
    var rule =
        alb.resources("aws_lb_listener_rule").stream()
            .filter(r -> r.label(1).equals("metrics_not_public"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no listener rule keeps /metrics inside"));
    assertThat(rule.body().attribute("count")).contains("var.expose_metrics ? 0 : 1");
    assertThat(rule.body().attribute("priority")).contains("1");
    assertThat(rule.body().attribute("listener_arn")).contains("local.forward_listener_arn");
    assertThat(alb.local("forward_listener_arn"))
        .contains(
            "local.https_enabled ? aws_lb_listener.https[0].arn : aws_lb_listener.http_forward[0].arn");
    var action = rule.body().blocks("action").getFirst().body();
    assertThat(action.attribute("type")).contains("\"fixed-response\"");
    assertThat(action.blocks("fixed_response").getFirst().body().attribute("status_code"))
        .contains("\"404\"");
    String paths =
        rule.body()
            .blocks("condition")
            .getFirst()
            .body()
            .blocks("path_pattern")
            .getFirst()
            .body()
            .attribute("values")
            .orElseThrow();
    assertThat(Expr.stringList(paths).orElseThrow()).contains("/metrics", "/metrics/*");

    assertThat(DEV.variable("expose_metrics").orElseThrow().body().attribute("default"))
        .contains("false");
    assertThat(alb.variable("expose_metrics").orElseThrow().body().attribute("default"))
        .contains("false");
    assertThat(DEV.moduleArgument("alb", "expose_metrics")).isEqualTo("var.expose_metrics");
  }

  private static int defaultOf(TerraformTree.Module module, String variable) {
    return Integer.parseInt(
        module.variable(variable).orElseThrow().body().attribute("default").orElseThrow());
  }
}
