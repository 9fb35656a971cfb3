package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Production-safe values are one variable away (issue 15, finding 8): {@code environment = "prod"}
 * turns on RDS deletion protection, a final snapshot, Multi-AZ, a 30-day secret recovery window,
 * ALB deletion protection, ALB access logs and VPC flow logs; an explicit variable wins; dev keeps
 * the seed's teardown-friendly values. An HTTP-only listener open to the internet needs {@code
 * allow_insecure_http = true}, which only the dev example sets, saying why.
 *
 * <p>The switches are read as expressions: module argument, then the local it names, then that
 * local's {@code var.x != null ? var.x : <from environment>} form. {@code
 * terraform/tools/offline-check.sh} checks the same in real plans (dev and prod).
 */
class DeployDefaultsPolicyTest {

  private static final TerraformTree TF = TerraformTree.load();
  private static final TerraformTree.Module DEV = TF.module("environments/dev");

  /** {@code var.X != null ? var.X : <fallback>}: an explicit value wins, else the environment. */
  private static final Pattern FOLLOWS_ENVIRONMENT =
      Pattern.compile("var\\.(\\w+) != null \\? var\\.\\1 : (.+)");

  /**
   * The value {@code module.argument} gets without an explicit variable, as the fallback expression
   * of its local, after checking that the variable defaults to null and wins when set.
   */
  private static String fallback(String module, String argument, String variable) {
    String arg = DEV.moduleArgument(module, argument);
    assertThat(arg).as(module + "." + argument).startsWith("local.");
    String local = DEV.local(arg.substring("local.".length())).orElseThrow();
    Matcher m = FOLLOWS_ENVIRONMENT.matcher(local);
    assertThat(m.matches()).as(arg + " = " + local).isTrue();
    assertThat(m.group(1)).isEqualTo(variable);
    assertThat(DEV.variable(variable).orElseThrow().body().attribute("default"))
        .as(variable + " defaults to null: it follows environment unless set")
        .contains("null");
    return m.group(2).strip();
  }

  @Test
  void environmentProdIsWhatTurnsTheProductionSwitchesOn() {
    assertThat(DEV.local("production"))
        .contains("contains([\"prod\", \"production\"], lower(var.environment))");
    assertThat(DEV.variable("environment").orElseThrow().body().attribute("default"))
        .as("the seed's dev default stays")
        .contains("\"dev\"");
  }

  @Test
  void prodTurnsOnDeletionProtectionFinalSnapshotAndMultiAzAndDevKeepsTheSeedTeardown() {
    // The fallback is local.production (true in prod, false in dev) or its negation.
    assertThat(fallback("rds", "deletion_protection", "db_deletion_protection"))
        .isEqualTo("local.production");
    assertThat(fallback("rds", "skip_final_snapshot", "db_skip_final_snapshot"))
        .isEqualTo("!local.production");
    assertThat(fallback("rds", "multi_az", "db_multi_az")).isEqualTo("local.production");
    assertThat(fallback("alb", "enable_deletion_protection", "alb_deletion_protection"))
        .isEqualTo("local.production");
  }

  @Test
  void prodKeepsDeletedSecretsRestorableForAtLeastSevenDaysAndDevDeletesThemAtOnce() {
    Matcher m =
        Pattern.compile("\\(local\\.production \\? (\\d+) : (\\d+)\\)")
            .matcher(fallback("secrets", "recovery_window_in_days", "secret_recovery_window_days"));
    assertThat(m.matches()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as("prod").isBetween(7, 30);
    assertThat(Integer.parseInt(m.group(2))).as("dev: destroy + apply reuses names").isZero();
    assertThat(
            TF.module("modules/secrets").resources("aws_secretsmanager_secret").stream()
                .map(s -> s.body().attribute("recovery_window_in_days").orElse("<none>")))
        .isNotEmpty()
        .allMatch("var.recovery_window_in_days"::equals);
  }

  @Test
  void prodWritesVpcFlowLogsOfAllTrafficToTheLogBucket() {
    assertThat(fallback("vpc", "flow_logs_enabled", "vpc_flow_logs")).isEqualTo("local.production");
    assertThat(DEV.moduleArgument("vpc", "flow_logs_bucket_arn"))
        .isEqualTo("module.logs.bucket_arn");
    var flowLog = TF.module("modules/vpc").resources("aws_flow_log");
    assertThat(flowLog).singleElement();
    var body = flowLog.getFirst().body();
    assertThat(body.attribute("count")).contains("var.flow_logs_enabled ? 1 : 0");
    assertThat(body.attribute("vpc_id")).contains("aws_vpc.this.id");
    assertThat(body.attribute("traffic_type")).contains("\"ALL\"");
    assertThat(body.attribute("log_destination"))
        .hasValueSatisfying(d -> d.contains("var.flow_logs_bucket_arn"));
  }

  @Test
  void prodWritesAlbAccessLogsToTheLogBucket() {
    assertThat(fallback("alb", "access_logs_enabled", "alb_access_logs"))
        .isEqualTo("local.production");
    assertThat(DEV.moduleArgument("alb", "access_logs_bucket"))
        .isEqualTo("module.logs.bucket_name");
    var alb = TF.module("modules/alb").resources("aws_lb").getFirst().body();
    var dynamic =
        alb.blocks("dynamic").stream()
            .filter(d -> d.label(0).equals("access_logs"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("aws_lb has no access_logs"));
    assertThat(dynamic.body().attribute("for_each"))
        .contains("var.access_logs_enabled ? [var.access_logs_bucket] : []");
    var content = dynamic.body().blocks("content").getFirst().body();
    assertThat(content.attribute("enabled")).contains("true");
    assertThat(content.attribute("bucket")).contains("access_logs.value");
  }

  @Test
  void logBucketExistsWhenNeededIsPrivateEncryptedTlsOnlyAndSurvivesAProdDestroy() {
    assertThat(DEV.moduleArgument("logs", "create"))
        .isEqualTo("local.alb_access_logs || local.vpc_flow_logs");
    assertThat(DEV.moduleArgument("logs", "force_destroy")).isEqualTo("!local.production");
    var logs = TF.module("modules/logs");
    var block = logs.resources("aws_s3_bucket_public_access_block").getFirst().body();
    for (String flag :
        new String[] {
          "block_public_acls",
          "block_public_policy",
          "ignore_public_acls",
          "restrict_public_buckets"
        }) {
      assertThat(block.attribute(flag)).as(flag).contains("true");
    }
    assertThat(
            logs.resources("aws_s3_bucket_ownership_controls")
                .getFirst()
                .body()
                .blocks("rule")
                .getFirst()
                .body()
                .attribute("object_ownership"))
        .contains("\"BucketOwnerEnforced\"");
    assertThat(logs.resources("aws_s3_bucket_server_side_encryption_configuration")).hasSize(1);
    assertThat(logs.resources("aws_s3_bucket_lifecycle_configuration")).hasSize(1);
    assertThat(logs.sources().get("main.tf"))
        .as("a Deny on aws:SecureTransport = false")
        .contains("variable = \"aws:SecureTransport\"");
  }

  @Test
  void httpOnlyListenerOpenToTheInternetNeedsAllowInsecureHttp() {
    var alb = TF.module("modules/alb");
    var plain =
        alb.resources("aws_lb_listener").stream()
            .filter(
                l -> l.body().attribute("count").orElse("").equals("local.https_enabled ? 0 : 1"))
            .findFirst()
            .orElseThrow();
    var precondition =
        plain.body().blocks("lifecycle").stream()
            .flatMap(l -> l.body().blocks("precondition").stream())
            .findFirst()
            .orElseThrow(() -> new AssertionError("the HTTP forward listener has no precondition"));
    assertThat(precondition.body().attribute("condition"))
        .contains("var.allow_insecure_http || !local.internet_facing_clients");
    assertThat(alb.local("internet_facing_clients").orElseThrow())
        .as("0.0.0.0/0 and any range wider than /8 count as the internet")
        .contains("var.client_cidrs")
        .contains("< 8");
    assertThat(DEV.moduleArgument("alb", "client_cidrs")).isEqualTo("var.alb_ingress_cidrs");
    assertThat(DEV.moduleArgument("alb", "allow_insecure_http"))
        .isEqualTo("var.allow_insecure_http");
    assertThat(DEV.variable("allow_insecure_http").orElseThrow().body().attribute("default"))
        .contains("false");
    assertThat(alb.variable("allow_insecure_http").orElseThrow().body().attribute("default"))
        .contains("false");
  }

  @Test
  void theDevExampleAllowsInsecureHttpAndSaysWhy() throws IOException {
    String example =
        Files.readString(TF.root().resolve("environments/dev/terraform.tfvars.example"));
    Map<String, String> values = Hcl.parse(example, "terraform.tfvars.example").attributes();

    assertThat(values)
        .containsEntry("certificate_arn", "\"\"")
        .containsEntry("allow_insecure_http", "true");
    String before = example.substring(0, example.indexOf("allow_insecure_http = true"));
    String comment = before.substring(before.lastIndexOf("\n\n"));
    assertThat(comment).contains("clear text").contains("certificate_arn");
  }
}
