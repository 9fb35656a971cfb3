package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.money.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  private static final Path REPO_CONFIG = locateConfig();

  @TempDir Path tmp;

  @Test
  void readsTheSeedTiersExactly() {
    List<Tier> tiers = ConfigFiles.tiers(REPO_CONFIG.resolve("tiers.yaml"));

    assertThat(tiers)
        .extracting(Tier::name)
        .containsExactly("drafting", "coding", "architect", "retrieval");
    Tier drafting = tiers.getFirst();
    assertThat(drafting.displayName()).isEqualTo("Drafting");
    assertThat(drafting.daily()).isEqualTo(Money.ofUsd("0.017"));
    assertThat(drafting.monthly()).isEqualTo(Money.ofUsd("0.50"));
    assertThat(drafting.allowedModels()).containsExactly("model-cheap");
    assertThat(tiers.get(2).daily().nanos()).isEqualTo(67_000_000L);
  }

  @Test
  void readsTheNovaDeploymentsWithExactPrices() {
    List<Deployment> models = ConfigFiles.models(REPO_CONFIG.resolve("models.yaml"));

    assertThat(models)
        .extracting(Deployment::modelName)
        .containsExactly(
            "model-cheap",
            "model-balanced",
            "model-reasoning",
            "model-embed",
            "model-claude-sonnet",
            "model-claude-haiku",
            "model-nova2-lite");
    Deployment micro = models.getFirst();
    assertThat(micro.provider()).isEqualTo("bedrock");
    assertThat(micro.providerModelId()).isEqualTo("us.amazon.nova-micro-v1:0");
    assertThat(micro.region()).contains("us-east-1");
    assertThat(micro.pricing().input().nanosPerMillionTokens()).isEqualTo(35_000_000L);
    assertThat(micro.pricing().output().nanosPerMillionTokens()).isEqualTo(140_000_000L);
    assertThat(micro.maxOutputTokens()).isEqualTo(5000);
    assertThat(models.get(2).pricing().output().nanosPerMillionTokens()).isEqualTo(3_200_000_000L);
    // the embedding model ($0.02 per 1M input tokens, in-Region id) and Claude's cache
    // prices (writes 1.25x, reads 0.1x input) read exactly.
    Deployment embed = models.get(3);
    assertThat(embed.providerModelId()).isEqualTo("amazon.titan-embed-text-v2:0");
    assertThat(embed.pricing().input().nanosPerMillionTokens()).isEqualTo(20_000_000L);
    Deployment sonnet = models.get(4);
    assertThat(sonnet.providerModelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(sonnet.pricing().cacheWrite().nanosPerMillionTokens()).isEqualTo(4_125_000_000L);
    assertThat(sonnet.pricing().cacheRead().nanosPerMillionTokens()).isEqualTo(330_000_000L);
    assertThat(sonnet.contextWindow()).isEqualTo(200_000);
    assertThat(sonnet.maxOutputTokens()).isEqualTo(64_000);
  }

  @Test
  void theSeedsModelNewBodyWithoutPricesGetsKnownNovaPrices() {
    Deployment d =
        LiteLlmModel.toDeployment(
            "model-cheap",
            java.util.Map.of(
                "model", "bedrock/converse/us.amazon.nova-micro-v1:0",
                "aws_region_name", "us-east-1"),
            java.util.Map.of(),
            "dep-1",
            Deployment.Source.API);

    assertThat(d.providerModelId()).isEqualTo("us.amazon.nova-micro-v1:0");
    assertThat(d.pricing().input().nanosPerMillionTokens()).isEqualTo(35_000_000L);
    assertThat(d.contextWindow()).isEqualTo(128_000);
  }

  @Test
  void anUnknownModelWithoutPricesIsRefusedNeverFree() {
    assertThatThrownBy(
            () ->
                LiteLlmModel.toDeployment(
                    "x",
                    java.util.Map.of("model", "bedrock/converse/some.unknown-model"),
                    java.util.Map.of(),
                    "dep",
                    Deployment.Source.API))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no price");
  }

  @Test
  void litellmPerTokenPricesConvertExactly() {
    Deployment d =
        LiteLlmModel.toDeployment(
            "x",
            java.util.Map.of("model", "bedrock/converse/some.model"),
            java.util.Map.of("input_cost_per_token", "3.5e-08", "output_cost_per_token", "1.4e-07"),
            "dep",
            Deployment.Source.API);

    assertThat(d.pricing().input().nanosPerMillionTokens()).isEqualTo(35_000_000L);
    assertThat(d.pricing().output().nanosPerMillionTokens()).isEqualTo(140_000_000L);
  }

  @Test
  void aBadTierNamesTheFileTheTierAndTheField() throws IOException {
    Path f = tmp.resolve("tiers.yaml");
    Files.writeString(
        f,
        "tiers:\n  drafting:\n    budget_daily: -1\n    budget_monthly: 1\n    allowed_models: [a]\n");

    assertThatThrownBy(() -> ConfigFiles.tiers(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tiers.yaml")
        .hasMessageContaining("drafting")
        .hasMessageContaining("negative");
  }

  @Test
  void aMissingFileSaysWhichVariableToSet() {
    assertThatThrownBy(() -> ConfigFiles.models(tmp.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GATEWAY_MODELS_FILE");
  }

  @Test
  void duplicateDeploymentIdsAreRefused() throws IOException {
    Path f = tmp.resolve("models.yaml");
    String entry =
        "  - model_name: m\n    litellm_params: {model: bedrock/converse/us.amazon.nova-micro-v1:0}\n"
            + "    model_info: {id: same}\n";
    Files.writeString(f, "model_list:\n" + entry + entry);

    assertThatThrownBy(() -> ConfigFiles.models(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("duplicate deployment id 'same'");
  }

  private static Path locateConfig() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("config"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("config/ not found above the working directory");
    }
    return dir.resolve("config");
  }
}
