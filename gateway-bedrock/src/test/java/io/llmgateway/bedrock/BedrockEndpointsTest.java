package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.catalog.Deployment;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Endpoint precedence and model paths, without any call. */
class BedrockEndpointsTest {
  private static final URI DEPLOYMENT = URI.create("http://127.0.0.1:1");
  private static final URI SETTINGS = URI.create("http://127.0.0.1:2");
  private static final URI ENVIRONMENT = URI.create("https://bedrock.example.internal:8443/proxy/");

  private static Deployment at(String region, Optional<URI> endpoint) {
    Deployment d = Fixtures.deployment("bedrock", endpoint);
    return new Deployment(
        d.id(),
        d.modelName(),
        d.provider(),
        d.providerModelId(),
        Optional.ofNullable(region),
        endpoint,
        d.pricing(),
        d.contextWindow(),
        d.maxOutputTokens(),
        d.source());
  }

  @Test
  void theDeploymentsEndpointWinsThenTheSettingsThenTheEnvironmentThenTheRegionalDefault() {
    var all = new BedrockEndpoints(Optional.of(SETTINGS), Optional.of(ENVIRONMENT));
    var envOnly = new BedrockEndpoints(Optional.empty(), Optional.of(ENVIRONMENT));
    var none = new BedrockEndpoints(Optional.empty(), Optional.empty());

    assertThat(all.target(at("us-east-1", Optional.of(DEPLOYMENT))))
        .isEqualTo(new BedrockEndpoints.Target("http", "127.0.0.1", 1, "", "us-east-1"));
    assertThat(all.target(at("us-east-1", Optional.empty())).port()).isEqualTo(2);
    assertThat(envOnly.target(at("eu-west-1", Optional.empty())))
        .isEqualTo(
            new BedrockEndpoints.Target(
                "https", "bedrock.example.internal", 8443, "/proxy", "eu-west-1"));
    assertThat(none.target(at("eu-west-1", Optional.empty())))
        .isEqualTo(
            new BedrockEndpoints.Target(
                "https", "bedrock-runtime.eu-west-1.amazonaws.com", -1, "", "eu-west-1"));
    assertThat(none.target(at("cn-north-1", Optional.empty())).host())
        .isEqualTo("bedrock-runtime.cn-north-1.amazonaws.com.cn");
  }

  @Test
  void defaultsTheRegionToUsEast1() {
    var none = new BedrockEndpoints(Optional.empty(), Optional.empty());
    assertThat(none.target(at(null, Optional.empty())).region()).isEqualTo("us-east-1");
    assertThat(none.target(at(null, Optional.empty())).host())
        .isEqualTo("bedrock-runtime.us-east-1.amazonaws.com");
  }

  /**
   * Issue 15, finding 2: the region used to be concatenated into the URL, so {@code
   * x@169.254.169.254#} made the metadata service the upstream host, carrying prompts and SigV4
   * headers. No such deployment can exist, and the default host is always the region's own.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "x@127.0.0.1:9#",
        "x@169.254.169.254#",
        "attacker.example/",
        "us-east-1.evil.com",
        "us-east-1\u200b",
        "",
        " "
      })
  void aDeploymentCannotCarryARegionOutsideTheAwsGrammar(String region) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> at(region, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "us-east-1, bedrock-runtime.us-east-1.amazonaws.com",
    "us-gov-west-1, bedrock-runtime.us-gov-west-1.amazonaws.com",
    "eu-central-2, bedrock-runtime.eu-central-2.amazonaws.com",
    "ap-southeast-4, bedrock-runtime.ap-southeast-4.amazonaws.com",
    "cn-north-1, bedrock-runtime.cn-north-1.amazonaws.com.cn"
  })
  void theDefaultEndpointIsTheRegionsBedrockRuntimeHost(String region, String host) {
    var none = new BedrockEndpoints(Optional.empty(), Optional.empty());
    assertThat(none.target(at(region, Optional.empty())))
        .isEqualTo(new BedrockEndpoints.Target("https", host, -1, "", region));
  }

  @Test
  void anEndpointOverrideComesFromConfigurationOnlyNeverFromTheApi() {
    Deployment config = at("us-east-1", Optional.of(DEPLOYMENT));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Deployment(
                    config.id(),
                    config.modelName(),
                    config.provider(),
                    config.providerModelId(),
                    config.region(),
                    config.endpoint(),
                    config.pricing(),
                    config.contextWindow(),
                    config.maxOutputTokens(),
                    Deployment.Source.API))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint");
  }

  @Test
  void percentEncodesTheModelIdAsAUriLabel() {
    var none = new BedrockEndpoints(Optional.empty(), Optional.empty());
    var t = none.target(at("us-east-1", Optional.empty()));
    assertThat(none.path(t, "us.amazon.nova-micro-v1:0", false))
        .isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse");
    assertThat(none.path(t, "a/b c~", true)).isEqualTo("/model/a%2Fb%20c~/converse-stream");
  }

  @Test
  void refusesAnEndpointThatIsNotHttp() {
    var none = new BedrockEndpoints(Optional.empty(), Optional.empty());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> none.target(at("us-east-1", Optional.of(URI.create("ftp://example.com")))))
        .isInstanceOf(io.llmgateway.core.error.ProviderUnavailableException.class)
        .hasMessageContaining("http(s)");
  }
}
