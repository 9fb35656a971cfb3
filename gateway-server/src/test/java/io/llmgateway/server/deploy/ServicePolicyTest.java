package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ECS service, its task definition and the secrets behind: secrets only via {@code secrets},
 * the gateway's settings present, Spot-first capacity, Spot-safe timeouts, enough open files,
 * read-only root, insights and expiring logs, target-tracking autoscaling. The ALB in front is
 * {@link AlbPolicyTest}'s.
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
}
