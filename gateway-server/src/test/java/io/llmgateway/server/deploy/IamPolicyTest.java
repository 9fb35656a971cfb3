package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * IAM: the task role may invoke the configured Bedrock inference profiles (and the foundation
 * models they route to, only through them); the execution role may pull, read the task secrets and
 * log; nothing else, and no role gets a managed or hand-written JSON policy.
 */
class IamPolicyTest {

  private static final TerraformTree TF = TerraformTree.load();

  private static final Set<String> BEDROCK =
      Set.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:CountTokens");
  private static final Set<String> EXECUTION =
      Set.of(
          "ecr:GetAuthorizationToken",
          "ecr:BatchCheckLayerAvailability",
          "ecr:GetDownloadUrlForLayer",
          "ecr:BatchGetImage",
          "secretsmanager:GetSecretValue",
          "logs:CreateLogStream",
          "logs:PutLogEvents");

  /** A policy statement (plain or the content of a dynamic "statement"). */
  record Statement(
      String document, String sid, List<String> actions, String resources, Hcl.Body body) {
    /** A Deny only takes rights away, so a wildcard there widens nothing. */
    boolean allows() {
      return !body.attribute("effect").orElse("\"Allow\"").equals("\"Deny\"");
    }
  }

  private static List<Statement> statements(String documentName) {
    var doc =
        TF.data("aws_iam_policy_document").stream()
            .filter(d -> d.block().label(1).equals(documentName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no policy document " + documentName));
    List<Hcl.Body> bodies = new ArrayList<>();
    doc.body().blocks("statement").forEach(s -> bodies.add(s.body()));
    doc.body().blocks("dynamic").stream()
        .filter(d -> d.label(0).equals("statement"))
        .forEach(d -> bodies.add(d.body().blocks("content").getFirst().body()));
    return bodies.stream()
        .map(
            b ->
                new Statement(
                    documentName,
                    b.attribute("sid").orElse("?"),
                    Expr.stringList(b.attribute("actions").orElse("[]"))
                        .orElseThrow(
                            () -> new AssertionError(documentName + ": actions must be literal")),
                    b.attribute("resources").orElse(""),
                    b))
        .toList();
  }

  /** Role resource name -> policy document its inline policy comes from. */
  private static Map<String, String> rolePolicies() {
    var policies = TF.resources("aws_iam_role_policy");
    assertThat(policies).hasSize(2);
    Map<String, String> byRole = new HashMap<>();
    for (var p : policies) {
      String role = p.attr("role").replace("aws_iam_role.", "").replace(".id", "");
      String policy = p.attr("policy");
      assertThat(policy).as(p.address()).matches("data\\.aws_iam_policy_document\\.\\w+\\.json");
      byRole.put(role, policy.split("\\.")[2]);
    }
    return byRole;
  }

  @Test
  void rolesGetPoliciesOnlyFromPolicyDocumentsInThisRepository() {
    assertThat(TF.resources("aws_iam_role_policy_attachment")).isEmpty();
    assertThat(TF.resources("aws_iam_policy_attachment")).isEmpty();
    assertThat(TF.resources("aws_iam_policy")).isEmpty();
    assertThat(TF.resources("aws_iam_role"))
        .allSatisfy(
            r -> {
              assertThat(r.body().attribute("managed_policy_arns")).as(r.address()).isEmpty();
              assertThat(r.body().blocks("inline_policy")).as(r.address()).isEmpty();
            });
    assertThat(rolePolicies()).containsOnlyKeys("task", "execution");
  }

  @Test
  void taskDefinitionUsesSeparateExecutionAndTaskRoles() {
    var task = TF.resources("aws_ecs_task_definition").getFirst();
    assertThat(task.attr("task_role_arn")).isEqualTo("aws_iam_role.task.arn");
    assertThat(task.attr("execution_role_arn")).isEqualTo("aws_iam_role.execution.arn");
  }

  @Test
  void taskRoleMayOnlyInvokeBedrockModels() {
    List<Statement> task = statements(rolePolicies().get("task"));

    assertThat(task).isNotEmpty();
    assertThat(task).allSatisfy(s -> assertThat(BEDROCK).containsAll(s.actions()));
    // the in-Region models (embeddings) are invoked, never streamed.
    assertThat(task)
        .filteredOn(s -> s.resources().equals("local.in_region_model_arns"))
        .singleElement()
        .satisfies(s -> assertThat(s.actions()).containsExactly("bedrock:InvokeModel"));
    // Claude's foundation models are counted (CountTokens: no inference), nothing more.
    assertThat(task)
        .filteredOn(s -> s.resources().equals("local.count_tokens_model_arns"))
        .singleElement()
        .satisfies(s -> assertThat(s.actions()).containsExactly("bedrock:CountTokens"));
    assertThat(task)
        .filteredOn(s -> s.actions().contains("bedrock:CountTokens"))
        .extracting(Statement::resources)
        .containsExactly("local.count_tokens_model_arns");
  }

  @Test
  void bedrockResourcesAreOnlyInferenceProfilesAndTheirFoundationModels() {
    var ecs = TF.module("modules/ecs");
    List<Statement> task = statements(rolePolicies().get("task"));

    for (Statement s : task) {
      assertThat(s.resources()).as(s.sid()).matches("local\\.\\w+");
      String arns = ecs.local(s.resources().substring("local.".length())).orElseThrow();
      List<String> templates = Expr.quotedStrings(arns);
      assertThat(templates).as(s.sid()).singleElement();
      assertThat(templates.getFirst())
          .as(s.sid())
          .matches(
              "arn:\\$\\{local.partition}:bedrock:\\$\\{[\\w.]+}:(\\$\\{local.account_id})?:"
                  + "(inference-profile|foundation-model)/\\$\\{\\w+}")
          .doesNotContain("*");
    }
    assertThat(task)
        .extracting(Statement::resources)
        .containsExactlyInAnyOrder(
            "local.inference_profile_arns",
            "local.foundation_model_arns",
            "local.count_tokens_model_arns",
            "local.in_region_model_arns");
  }

  @Test
  void foundationModelsCanOnlyBeInvokedThroughTheInferenceProfiles() {
    Statement models =
        statements(rolePolicies().get("task")).stream()
            .filter(s -> s.resources().equals("local.foundation_model_arns"))
            .findFirst()
            .orElseThrow();

    assertThat(models.body().blocks("condition"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.body().attribute("variable"))
                  .contains("\"bedrock:InferenceProfileArn\"");
              assertThat(c.body().attribute("values")).contains("local.inference_profile_arns");
            });
  }

  @Test
  void executionRoleMayOnlyPullTheImageReadTheTaskSecretsAndLog() {
    List<Statement> execution = statements(rolePolicies().get("execution"));

    assertThat(execution).allSatisfy(s -> assertThat(EXECUTION).containsAll(s.actions()));
    assertThat(execution)
        .filteredOn(s -> s.actions().contains("secretsmanager:GetSecretValue"))
        .singleElement()
        .satisfies(s -> assertThat(s.resources()).isEqualTo("values(var.secret_arns)"));
    assertThat(execution)
        .filteredOn(s -> s.actions().contains("logs:PutLogEvents"))
        .singleElement()
        .satisfies(s -> assertThat(s.resources()).contains("aws_cloudwatch_log_group."));
  }

  @Test
  void noActionIsAWildcardAndOnlyEcrLoginUsesAWildcardResource() {
    List<Statement> all = new ArrayList<>();
    TF.data("aws_iam_policy_document").forEach(d -> all.addAll(statements(d.block().label(1))));

    assertThat(all).anyMatch(Statement::allows);
    assertThat(all)
        .filteredOn(Statement::allows)
        .allSatisfy(s -> assertThat(s.actions()).noneMatch(a -> a.contains("*")));
    assertThat(all)
        .filteredOn(Statement::allows)
        .filteredOn(s -> s.resources().contains("\"*\""))
        .allSatisfy(s -> assertThat(s.actions()).containsExactly("ecr:GetAuthorizationToken"));
  }

  @Test
  void rolesTrustOnlyEcsTasksOfThisAccount() {
    assertThat(TF.resources("aws_iam_role"))
        .allSatisfy(
            r ->
                assertThat(r.attr("assume_role_policy"))
                    .isEqualTo("data.aws_iam_policy_document.ecs_tasks_trust.json"));
    List<Statement> trust = statements("ecs_tasks_trust");
    assertThat(trust)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.actions()).containsExactly("sts:AssumeRole");
              var principal = s.body().blocks("principals").getFirst().body();
              assertThat(principal.attribute("identifiers"))
                  .contains("[\"ecs-tasks.amazonaws.com\"]");
              assertThat(s.body().blocks("condition"))
                  .anySatisfy(
                      c ->
                          assertThat(c.body().attribute("variable"))
                              .contains("\"aws:SourceAccount\""));
            });
  }
}
