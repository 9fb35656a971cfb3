package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ECS service, its task definition, the ALB in front and the secrets behind: secrets only via
 * {@code secrets}, the gateway's settings present, Spot-first capacity, Spot-safe timeouts,
 * read-only root, readiness health check, HTTPS with redirect when a certificate is given.
 */
class ServicePolicyTest {

  private static final TerraformTree TF = TerraformTree.load();
  private static final Pattern SECRET_LIKE =
      Pattern.compile("(?i).*(KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL|DATABASE_URL|HASH).*");
  private static final Set<String> TASK_SECRETS =
      Set.of(
          "GATEWAY_MASTER_KEY",
          "DATABASE_URL",
          "GATEWAY_UI_ADMIN_PASSWORD_HASH",
          "GATEWAY_METRICS_TOKEN",
          // only when single sign-on is configured (the secret exists only then)
          "GATEWAY_OIDC_CLIENT_SECRET");

  private static String containerDefinitions() {
    return TF.resources("aws_ecs_task_definition").getFirst().attr("container_definitions");
  }

  /** Names of the plain environment variables of the container. */
  private static List<String> environmentNames() {
    String environment = Expr.member(containerDefinitions(), "environment").orElseThrow();
    var names = new ArrayList<>(Expr.upperCaseKeys(environment));
    // `[for name, value in local.environment : ...]`: read the keys of that local
    var ref = Pattern.compile("in local\\.(\\w+)").matcher(environment);
    while (ref.find()) {
      names.addAll(Expr.upperCaseKeys(TF.module("modules/ecs").local(ref.group(1)).orElseThrow()));
    }
    Expr.quotedStrings(environment).stream()
        .filter(s -> s.matches("[A-Z][A-Z0-9_]+"))
        .forEach(names::add);
    return names;
  }

  @Test
  void noSecretLikeValueIsAPlainEnvironmentVariable() {
    List<String> names = environmentNames();

    assertThat(names).isNotEmpty().noneMatch(n -> SECRET_LIKE.matcher(n).matches());
    assertThat(
            TF.module("environments/dev")
                .variable("extra_environment")
                .orElseThrow()
                .body()
                .blocks("validation"))
        .as("extra_environment rejects secret-like names at plan time")
        .isNotEmpty();
  }

  @Test
  void secretsReachTheTaskOnlyThroughEcsSecretsFromSecretsManager() {
    String secrets = Expr.member(containerDefinitions(), "secrets").orElseThrow();
    assertThat(secrets).contains("var.secret_arns").contains("valueFrom");

    var dev = TF.module("environments/dev");
    var ecsCall =
        dev.blocks("module").stream()
            .filter(m -> m.label(0).equals("ecs"))
            .findFirst()
            .orElseThrow();
    assertThat(ecsCall.body().attribute("secret_arns")).contains("module.secrets.task_secret_arns");

    String taskSecrets =
        TF.module("modules/secrets").blocks("output").stream()
            .filter(o -> o.label(0).equals("task_secret_arns"))
            .findFirst()
            .orElseThrow()
            .body()
            .attribute("value")
            .orElseThrow();
    assertThat(Set.copyOf(Expr.upperCaseKeys(taskSecrets))).isEqualTo(TASK_SECRETS);
    assertThat(taskSecrets).contains("aws_secretsmanager_secret_version.");
  }

  @Test
  void generatedSecretsComeFromTheRandomProviderIncludingTheBcryptHash() {
    var secrets = TF.module("modules/secrets");
    assertThat(secrets.resources("random_password")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(secrets.resources("aws_secretsmanager_secret_version"))
        .anySatisfy(
            v ->
                assertThat(v.body().attribute("secret_string"))
                    .contains("random_password.ui_admin.bcrypt_hash"))
        .anySatisfy(
            v ->
                assertThat(v.body().attribute("secret_string"))
                    .contains("random_password.ui_admin.result"))
        .anySatisfy(
            v -> assertThat(v.body().attribute("secret_string")).contains("local.master_key"));
    assertThat(secrets.local("database_url").orElseThrow())
        .startsWith(
            "\"postgresql://${var.db_username}:${random_password.db.result}@${var.db_address}:${var.db_port}/${var.db_name}");
    assertThat(
            TF.module("environments/dev").blocks("module").stream()
                .filter(m -> m.label(0).equals("rds"))
                .findFirst()
                .orElseThrow()
                .body()
                .attribute("password"))
        .contains("module.secrets.db_password");
  }

  @Test
  void taskGetsTheGatewaySettings() {
    String environment = TF.module("modules/ecs").local("environment").orElseThrow();

    assertThat(environmentNames())
        .contains(
            "GATEWAY_MODE",
            "GATEWAY_HOST",
            "GATEWAY_PORT",
            "GATEWAY_DB_POOL_SIZE",
            "GATEWAY_TIMEZONE",
            "GATEWAY_UI_ADMIN_USER",
            "GATEWAY_IDLE_TIMEOUT_SECONDS",
            "AWS_REGION",
            "GATEWAY_MODELS_FILE",
            "GATEWAY_TIERS_FILE");
    assertThat(Expr.scalarMember(environment, "GATEWAY_MODE")).contains("\"production\"");
    assertThat(Expr.scalarMember(environment, "GATEWAY_HOST")).contains("\"0.0.0.0\"");
    assertThat(
            TF.module("modules/ecs")
                .variable("db_pool_size")
                .orElseThrow()
                .body()
                .attribute("default"))
        .contains("5");
    assertThat(
            TF.module("environments/dev")
                .variable("db_pool_size")
                .orElseThrow()
                .body()
                .attribute("default"))
        .contains("5");
  }

  @Test
  void serviceRunsOnFargateSpotWithAnOnDemandShare() {
    var service = TF.resources("aws_ecs_service").getFirst();
    var strategies = service.body().blocks("capacity_provider_strategy");

    assertThat(strategies)
        .extracting(s -> s.body().attribute("capacity_provider").orElseThrow())
        .containsExactlyInAnyOrder("\"FARGATE_SPOT\"", "\"FARGATE\"");
    assertThat(service.body().attribute("launch_type")).isEmpty();
    assertThat(
            TF.resources("aws_ecs_cluster_capacity_providers")
                .getFirst()
                .attr("capacity_providers"))
        .contains("\"FARGATE_SPOT\"");
    var platform =
        TF.resources("aws_ecs_task_definition").getFirst().body().blocks("runtime_platform");
    assertThat(platform.getFirst().body().attribute("cpu_architecture"))
        .as("Fargate Spot runs X86_64 only")
        .contains("\"X86_64\"");
  }

  @Test
  void tasksDrainWithinTheSpotWarning() {
    assertThat(Expr.scalarMember(containerDefinitions(), "stopTimeout")).contains("120");
    var tg = TF.resources("aws_lb_target_group").getFirst();
    assertThat(tg.attr("deregistration_delay")).isEqualTo("var.deregistration_delay");
    var delay = TF.module("modules/alb").variable("deregistration_delay").orElseThrow().body();
    assertThat(Integer.parseInt(delay.attribute("default").orElseThrow())).isLessThan(120);
    assertThat(delay.blocks("validation")).isNotEmpty();
  }

  /**
   * Each open stream holds two sockets; 10,000 streams on one task need more than 20,000 open files
   * (docs/PERFORMANCE.md "Streams at scale"), so the limit is set, not left to the platform.
   */
  @Test
  void tasksMayOpenEnoughFilesForTenThousandStreams() {
    String container = containerDefinitions();
    var nofile =
        java.util.regex.Pattern.compile(
                "\\{\\s*name\\s*=\\s*\"nofile\",\\s*softLimit\\s*=\\s*(\\d+),"
                    + "\\s*hardLimit\\s*=\\s*(\\d+)\\s*}")
            .matcher(container);
    assertThat(nofile.find()).as("a nofile ulimit in the container definition").isTrue();
    assertThat(Integer.parseInt(nofile.group(1))).isGreaterThanOrEqualTo(20_000 + 512);
    assertThat(Integer.parseInt(nofile.group(2)))
        .isGreaterThanOrEqualTo(Integer.parseInt(nofile.group(1)));
  }

  @Test
  void rootFilesystemIsReadOnlyWithAWritableTmp() {
    String container = containerDefinitions();
    assertThat(Expr.scalarMember(container, "readonlyRootFilesystem")).contains("true");
    assertThat(Expr.member(container, "mountPoints").orElseThrow())
        .contains("containerPath = \"/tmp\"");
    assertThat(TF.resources("aws_ecs_task_definition").getFirst().body().blocks("volume"))
        .isNotEmpty();
  }

  @Test
  void containerInsightsAreOnAndLogsExpire() {
    var cluster = TF.resources("aws_ecs_cluster").getFirst();
    assertThat(cluster.body().blocks("setting"))
        .anySatisfy(
            s -> {
              assertThat(s.body().attribute("name")).contains("\"containerInsights\"");
              assertThat(s.body().attribute("value")).contains("\"enabled\"");
            });
    assertThat(TF.resources("aws_cloudwatch_log_group"))
        .allSatisfy(g -> assertThat(g.body().attribute("retention_in_days")).isPresent());
  }

  @Test
  void autoscalingTracksTargetsBetweenMinAndMaxCapacity() {
    var target = TF.resources("aws_appautoscaling_target").getFirst();
    assertThat(target.attr("min_capacity")).isEqualTo("var.min_capacity");
    assertThat(target.attr("max_capacity")).isEqualTo("var.max_capacity");
    assertThat(TF.resources("aws_appautoscaling_policy"))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attr("policy_type")).isEqualTo("\"TargetTrackingScaling\""));
  }

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
    var dev = TF.module("environments/dev");
    int alb = defaultOf(dev, "alb_idle_timeout");
    int server = defaultOf(dev, "gateway_idle_timeout_seconds");
    assertThat(server).as("GATEWAY_IDLE_TIMEOUT_SECONDS > ALB idle_timeout").isGreaterThan(alb);
    assertThat(defaultOf(TF.module("modules/ecs"), "idle_timeout"))
        .isGreaterThan(defaultOf(TF.module("modules/alb"), "idle_timeout"));

    assertThat(moduleArgument("alb", "idle_timeout")).isEqualTo("var.alb_idle_timeout");
    assertThat(moduleArgument("ecs", "idle_timeout")).isEqualTo("var.gateway_idle_timeout_seconds");
    assertThat(moduleArgument("ecs", "alb_idle_timeout")).isEqualTo("var.alb_idle_timeout");
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
    assertThat(moduleArgument("ecs", "trusted_proxy_cidrs")).isEqualTo("var.public_subnet_cidrs");
    assertThat(moduleArgument("vpc", "public_subnet_cidrs")).isEqualTo("var.public_subnet_cidrs");
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

    assertThat(
            TF.module("environments/dev")
                .variable("expose_metrics")
                .orElseThrow()
                .body()
                .attribute("default"))
        .contains("false");
    assertThat(alb.variable("expose_metrics").orElseThrow().body().attribute("default"))
        .contains("false");
    assertThat(moduleArgument("alb", "expose_metrics")).isEqualTo("var.expose_metrics");
  }

  private static String moduleArgument(String module, String argument) {
    return TF.module("environments/dev").blocks("module").stream()
        .filter(m -> m.label(0).equals(module))
        .findFirst()
        .orElseThrow()
        .body()
        .attribute(argument)
        .orElseThrow(() -> new AssertionError("module " + module + " gets no " + argument));
  }

  private static int defaultOf(TerraformTree.Module module, String variable) {
    return Integer.parseInt(
        module.variable(variable).orElseThrow().body().attribute("default").orElseThrow());
  }
}
