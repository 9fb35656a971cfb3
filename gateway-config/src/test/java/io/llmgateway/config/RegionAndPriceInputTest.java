package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.catalog.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The models file and {@code /model/new} share {@link LiteLlmModel}: a region outside the AWS
 * grammar (an SSRF into the upstream host, issue 15 finding 2) and a price of hostile magnitude
 * (finding 9) are refused here, naming the field and without echoing the value.
 */
class RegionAndPriceInputTest {
  @TempDir Path tmp;

  private static Deployment withRegion(Object region, Deployment.Source source) {
    return LiteLlmModel.toDeployment(
        "m",
        Map.of("model", "bedrock/converse/us.amazon.nova-micro-v1:0", "aws_region_name", region),
        Map.of(),
        "dep-1",
        source);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x@127.0.0.1:9#",
        "x@169.254.169.254#",
        "attacker.example/",
        "us-east-1.evil.com",
        "us-east-1/",
        "us-east-1:443",
        "us-eaſt-1", // long s, which some case-folding turns into s
        "us-east-\u0661", // Arabic-Indic digit one
        "us-east-1\u200b",
        "",
        " ",
        "US-EAST-1",
        "us-east-100"
      })
  void refusesARegionOutsideTheAwsGrammar(String region) {
    for (Deployment.Source source : Deployment.Source.values()) {
      assertThatThrownBy(() -> withRegion(region, source))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("aws_region_name ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("127.0.0.1", "evil"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "us-east-1",
        "us-west-2",
        "us-gov-west-1",
        "eu-central-2",
        "ap-southeast-4",
        "cn-north-1",
        "us-isob-east-1",
        "il-central-1",
        "mx-central-1"
      })
  void acceptsAwsRegions(String region) {
    assertThat(withRegion(region, Deployment.Source.API).region()).contains(region);
  }

  @Test
  void aRegionThatIsNotAStringIsRefused() {
    assertThatThrownBy(() -> withRegion(1, Deployment.Source.CONFIG))
        .hasMessageStartingWith("aws_region_name ");
  }

  @Test
  void theModelsFileRefusesAnSsrfRegion() throws Exception {
    Path f = tmp.resolve("models.yaml");
    Files.writeString(
        f,
        """
        model_list:
          - model_name: model-cheap
            litellm_params:
              model: bedrock/converse/us.amazon.nova-micro-v1:0
              aws_region_name: "x@169.254.169.254#"
        """);
    assertThatThrownBy(() -> ConfigFiles.models(f))
        .hasMessageContaining("aws_region_name")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("169.254"));
  }

  @Test
  void anEndpointOverrideIsAConfigFileOnlyThing() {
    Map<String, Object> params =
        Map.of(
            "model", "bedrock/converse/us.amazon.nova-micro-v1:0",
            "aws_region_name", "us-east-1",
            "aws_bedrock_runtime_endpoint", "http://127.0.0.1:9");
    assertThat(
            LiteLlmModel.toDeployment("m", params, Map.of(), "d", Deployment.Source.CONFIG)
                .endpoint())
        .isPresent();
    assertThatThrownBy(
            () -> LiteLlmModel.toDeployment("m", params, Map.of(), "d", Deployment.Source.API))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("aws_bedrock_runtime_endpoint ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e-999999999", "1e-2147483647", "1e2147483647", "1e-99999"})
  void refusesAPriceOfHostileMagnitudeFastWithoutEchoingIt(String price) {
    for (String field :
        new String[] {
          "input_cost_per_million_tokens", "input_cost_per_token", "cache_read_input_token_cost"
        }) {
      Map<String, Object> info = new java.util.HashMap<>();
      info.put("output_cost_per_million_tokens", java.math.BigDecimal.ONE);
      if (field.startsWith("cache")) {
        info.put("input_cost_per_million_tokens", java.math.BigDecimal.ONE);
      }
      info.put(field, new java.math.BigDecimal(price));
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  LiteLlmModel.toDeployment(
                      "m",
                      Map.of("model", "bedrock/converse/custom"),
                      info,
                      "d",
                      Deployment.Source.API))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).startsWith(field).hasSizeLessThan(200));
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
    }
  }
}
