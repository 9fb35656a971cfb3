package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The layout and variables the seed spec requires, and the hygiene every module keeps. */
class TerraformLayoutTest {

  private static final TerraformTree TF = TerraformTree.load();

  /** The seed's terraform.tfvars, variable by variable, with the seed's values. */
  private static final Map<String, String> SEED_VARIABLES =
      Map.ofEntries(
          Map.entry("aws_region", "\"ap-south-1\""),
          Map.entry("aws_profile", ""),
          Map.entry("project_name", "\"llm-gateway\""),
          Map.entry("environment", "\"dev\""),
          Map.entry("vpc_cidr", "\"10.0.0.0/16\""),
          Map.entry("availability_zones", "[\"ap-south-1a\", \"ap-south-1b\"]"),
          Map.entry("private_subnet_cidrs", "[\"10.0.1.0/24\", \"10.0.2.0/24\"]"),
          Map.entry("public_subnet_cidrs", "[\"10.0.101.0/24\", \"10.0.102.0/24\"]"),
          Map.entry("db_instance_class", "\"db.t4g.micro\""),
          Map.entry("db_allocated_storage", "20"),
          Map.entry("db_engine_version", "\"16\""),
          Map.entry("db_name", ""),
          Map.entry("db_username", ""),
          Map.entry("container_image", ""),
          Map.entry("container_port", "4000"),
          Map.entry("task_cpu", "512"),
          Map.entry("task_memory", "1024"),
          Map.entry("desired_count", "1"),
          Map.entry("min_capacity", "1"),
          Map.entry("max_capacity", "3"),
          Map.entry("certificate_arn", "\"\""));

  private static final List<String> MODULES =
      List.of("vpc", "rds", "ecs", "alb", "security-groups", "secrets", "logs");

  @Test
  void devEnvironmentAndEveryModuleHaveMainVariablesAndOutputs() {
    Path root = TF.root();
    for (String file :
        List.of("main.tf", "variables.tf", "outputs.tf", "terraform.tfvars.example")) {
      assertThat(root.resolve("environments/dev").resolve(file)).isRegularFile();
    }
    for (String module : MODULES) {
      for (String file : List.of("main.tf", "variables.tf", "outputs.tf")) {
        assertThat(root.resolve("modules").resolve(module).resolve(file)).isRegularFile();
      }
    }
  }

  @Test
  void devEnvironmentDeclaresEverySeedVariableWithTheSeedDefault() {
    TerraformTree.Module dev = TF.module("environments/dev");
    List<String> problems = new ArrayList<>();
    SEED_VARIABLES.forEach(
        (name, seedDefault) -> {
          var variable = dev.variable(name);
          if (variable.isEmpty()) {
            problems.add(name + " is not declared");
          } else if (!seedDefault.isEmpty()) {
            String actual = variable.get().body().attribute("default").orElse("<none>");
            if (!actual.equals(seedDefault)) {
              problems.add(name + " defaults to " + actual + ", the seed says " + seedDefault);
            }
          }
        });
    assertThat(problems).isEmpty();
  }

  @Test
  void tfvarsExampleSetsEverySeedVariable() throws IOException {
    String example =
        Files.readString(TF.root().resolve("environments/dev/terraform.tfvars.example"));
    Hcl.Body body = Hcl.parse(example, "terraform.tfvars.example");

    assertThat(body.attributes().keySet()).containsAll(SEED_VARIABLES.keySet());
    Set<String> declared = variableNames(TF.module("environments/dev"));
    assertThat(declared).containsAll(body.attributes().keySet());
  }

  @Test
  void everyVariableHasATypeAndADescriptionAndEveryOutputADescription() {
    List<String> undocumented = new ArrayList<>();
    for (TerraformTree.Module module : TF.modules().values()) {
      for (Hcl.Block v : module.blocks("variable")) {
        if (v.body().attribute("description").isEmpty() || v.body().attribute("type").isEmpty()) {
          undocumented.add(module.path() + ": variable " + v.label(0));
        }
      }
      for (Hcl.Block o : module.blocks("output")) {
        if (o.body().attribute("description").isEmpty()) {
          undocumented.add(module.path() + ": output " + o.label(0));
        }
      }
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void moduleCallsPassOnlyDeclaredVariablesAndEveryRequiredOne() {
    Set<String> meta = Set.of("source", "depends_on", "providers", "count", "for_each", "version");
    List<String> problems = new ArrayList<>();
    for (TerraformTree.Module caller : TF.modules().values()) {
      for (Hcl.Block call : caller.blocks("module")) {
        TerraformTree.Module callee = calleeOf(caller, call);
        Set<String> declared = variableNames(callee);
        for (String arg : call.body().attributes().keySet()) {
          if (!meta.contains(arg) && !declared.contains(arg)) {
            problems.add(caller.path() + ": module " + call.label(0) + " passes unknown " + arg);
          }
        }
        for (Hcl.Block v : callee.blocks("variable")) {
          if (v.body().attribute("default").isEmpty()
              && !call.body().attributes().containsKey(v.label(0))) {
            problems.add(caller.path() + ": module " + call.label(0) + " misses " + v.label(0));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyReferencedVariableLocalAndModuleOutputExists() {
    Pattern var = Pattern.compile("\\bvar\\.(\\w+)");
    Pattern local = Pattern.compile("\\blocal\\.(\\w+)");
    Pattern moduleOutput = Pattern.compile("\\bmodule\\.(\\w+)\\.(\\w+)");
    List<String> dangling = new ArrayList<>();
    for (TerraformTree.Module module : TF.modules().values()) {
      Set<String> variables = variableNames(module);
      Set<String> locals = new HashSet<>();
      module.blocks("locals").forEach(b -> locals.addAll(b.body().attributes().keySet()));
      for (String expr : expressions(module)) {
        var m = var.matcher(expr);
        while (m.find()) {
          if (!variables.contains(m.group(1))) {
            dangling.add(module.path() + ": var." + m.group(1));
          }
        }
        m = local.matcher(expr);
        while (m.find()) {
          if (!locals.contains(m.group(1))) {
            dangling.add(module.path() + ": local." + m.group(1));
          }
        }
        m = moduleOutput.matcher(expr);
        while (m.find()) {
          String name = m.group(1);
          String output = m.group(2);
          var call =
              module.blocks("module").stream().filter(b -> b.label(0).equals(name)).findFirst();
          boolean exists =
              call.isPresent()
                  && calleeOf(module, call.get()).blocks("output").stream()
                      .anyMatch(o -> o.label(0).equals(output));
          if (!exists) {
            dangling.add(module.path() + ": module." + name + "." + output);
          }
        }
      }
    }
    assertThat(dangling).isEmpty();
  }

  @Test
  void outputsGiveTheAlbUrlAndTheMasterKeySecret() {
    TerraformTree.Module dev = TF.module("environments/dev");
    Set<String> outputs = Set.copyOf(dev.blocks("output").stream().map(o -> o.label(0)).toList());

    assertThat(outputs).contains("alb_url", "master_key_secret_arn");
    assertThat(outputValue(dev, "master_key_secret_arn"))
        .isEqualTo("module.secrets.master_key_secret_arn");
  }

  @Test
  void everyCheckovSkipNamesACheckAndAReason() {
    Pattern skip = Pattern.compile("#checkov:skip=(CKV2?_AWS_\\d+):(.+)");
    List<String> bad = new ArrayList<>();
    int count = 0;
    for (TerraformTree.Module module : TF.modules().values()) {
      for (String text : module.sources().values()) {
        for (String line : text.lines().filter(l -> l.contains("checkov:skip")).toList()) {
          Matcher m = skip.matcher(line.strip());
          count++;
          if (!m.matches() || m.group(2).strip().length() < 15) {
            bad.add(module.path() + ": " + line.strip());
          }
        }
      }
    }
    assertThat(bad).as("skips without a check id or a real reason").isEmpty();
    assertThat(count).as("the expected skips of security-reliability.md 4.4 exist").isPositive();
  }

  private static TerraformTree.Module calleeOf(TerraformTree.Module caller, Hcl.Block call) {
    String source = Expr.string(call.body().attribute("source").orElseThrow()).orElseThrow();
    Path target = TF.root().resolve(caller.path()).resolve(source).normalize();
    return TF.module(TF.root().relativize(target).toString().replace('\\', '/'));
  }

  private static List<String> expressions(TerraformTree.Module module) {
    List<String> out = new ArrayList<>();
    ArrayDeque<Hcl.Body> todo = new ArrayDeque<>();
    module.blocks().forEach(b -> todo.add(b.body()));
    while (!todo.isEmpty()) {
      Hcl.Body body = todo.pop();
      out.addAll(body.attributes().values());
      body.blocks().forEach(b -> todo.add(b.body()));
    }
    return out;
  }

  private static Set<String> variableNames(TerraformTree.Module module) {
    return Set.copyOf(module.blocks("variable").stream().map(v -> v.label(0)).toList());
  }

  private static String outputValue(TerraformTree.Module module, String name) {
    return module.blocks("output").stream()
        .filter(o -> o.label(0).equals(name))
        .findFirst()
        .orElseThrow()
        .body()
        .attribute("value")
        .orElseThrow();
  }
}
