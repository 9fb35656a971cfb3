package io.llmgateway.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dev environment's task role can invoke every Bedrock model of config/models.yaml: inference
 * profiles (us.*) through {@code bedrock_inference_profile_ids}, in-Region models (the embedding
 * model) through {@code bedrock_in_region_model_ids}. A model added to the file without its IAM
 * grant would fail with AccessDenied only once deployed.
 */
class IamCoversConfiguredModelsTest {
  private static final Pattern BEDROCK_MODEL =
      Pattern.compile("model:\\s*bedrock/(?:converse/)?(\\S+)");

  @Test
  void everyBedrockModelOfTheModelsFileIsGrantedByTheDevDefaults() throws Exception {
    var root = TerraformTree.repositoryRoot();
    String models = Files.readString(root.resolve("config/models.yaml"));
    List<String> ids = new ArrayList<>();
    for (Matcher m = BEDROCK_MODEL.matcher(models); m.find(); ) {
      ids.add(m.group(1));
    }
    assertThat(ids).contains("amazon.titan-embed-text-v2:0", "us.amazon.nova-micro-v1:0");

    var dev = TerraformTree.load().module("environments/dev");
    List<String> profiles = defaults(dev, "bedrock_inference_profile_ids");
    List<String> inRegion = defaults(dev, "bedrock_in_region_model_ids");
    for (String id : ids) {
      if (id.matches("(us|eu|apac|jp|au|ca|us-gov)\\..*")) {
        assertThat(profiles).as("inference profile " + id).contains(id);
      } else {
        assertThat(inRegion).as("in-Region model " + id).contains(id);
      }
    }
  }

  private static List<String> defaults(TerraformTree.Module module, String variable) {
    String expr = module.variable(variable).orElseThrow().body().attribute("default").orElseThrow();
    return Expr.stringList(expr).orElseThrow();
  }
}
