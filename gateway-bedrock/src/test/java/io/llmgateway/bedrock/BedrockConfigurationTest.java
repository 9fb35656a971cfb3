package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.provider.ModelProvider;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Endpoint, region and credential resolution, observed at the stub. */
class BedrockConfigurationTest extends StubTestBase {

  @Test
  void staticCredentialsWinOverABedrockApiKeyInTheEnvironment() throws Exception {
    System.setProperty("aws.bearerTokenBedrock", "a-bedrock-api-key");
    ModelProvider p = Providers.bedrock(stub.settings());
    try {
      p.complete(Fixtures.ask(deployment(), "hi"));
      try (var s = p.stream(Fixtures.ask(deployment(), "hi"))) {
        drain(s);
      }
    } finally {
      System.clearProperty("aws.bearerTokenBedrock");
      ((AutoCloseable) p).close();
    }
    assertThat(stub.requests())
        .hasSize(2)
        .allSatisfy(
            r ->
                assertThat(r.header("Authorization").orElseThrow())
                    .startsWith("AWS4-HMAC-SHA256")
                    .doesNotContain("a-bedrock-api-key"));
  }

  @Test
  void withoutStaticCredentialsABedrockApiKeyFromTheEnvironmentIsSentAsBearerToken()
      throws Exception {
    // The standard AWS behaviour, kept for deployments that use Bedrock API keys.
    System.setProperty("aws.bearerTokenBedrock", "a-bedrock-api-key");
    ModelProvider p =
        Providers.bedrock(BedrockSettings.builder().endpoint(stub.endpoint()).build());
    try {
      try (var s = p.stream(Fixtures.ask(deployment(), "hi"))) {
        drain(s);
      }
      assertThat(stub.lastRequest().header("Authorization")).contains("Bearer a-bedrock-api-key");
      p.complete(Fixtures.ask(deployment(), "hi"));
    } finally {
      System.clearProperty("aws.bearerTokenBedrock");
      ((AutoCloseable) p).close();
    }
    assertThat(stub.lastRequest().header("Authorization")).contains("Bearer a-bedrock-api-key");
    assertThat(stub.lastRequest().header("x-amz-date")).as("not signed as well").isEmpty();
  }

  @Test
  void signsForTheDeploymentsRegionWithSigningNameBedrock() {
    Deployment euro =
        new Deployment(
            "dep-eu",
            "model-cheap",
            "bedrock",
            "eu.amazon.nova-lite-v1:0",
            Optional.of("eu-west-1"),
            Optional.empty(),
            deployment().pricing(),
            300_000,
            5_000,
            Deployment.Source.CONFIG);

    bedrock.complete(Fixtures.ask(euro, "hi"));

    assertThat(stub.lastRequest().path()).isEqualTo("/model/eu.amazon.nova-lite-v1%3A0/converse");
    assertThat(stub.lastRequest().header("Authorization").orElseThrow())
        .contains("/eu-west-1/bedrock/aws4_request");
  }

  @Test
  void theDeploymentsEndpointWinsOverTheSettingsEndpoint() throws Exception {
    try (BedrockStub other = BedrockStub.start()) {
      Deployment pinned = Fixtures.deployment("bedrock", Optional.of(other.endpoint()));

      bedrock.complete(Fixtures.ask(pinned, "hi"));

      assertThat(other.requestCount()).isEqualTo(1);
      assertThat(stub.requestCount()).isZero();
    }
  }

  @Test
  void honoursTheStandardEndpointVariableWhenNoEndpointIsConfigured() throws Exception {
    // aws.endpointUrlBedrockRuntime is the system-property twin of
    // AWS_ENDPOINT_URL_BEDROCK_RUNTIME.
    System.setProperty("aws.endpointUrlBedrockRuntime", stub.endpoint().toString());
    BedrockSettings noEndpoint =
        new BedrockSettings(
            Optional.empty(),
            stub.settings().connectTimeout(),
            stub.settings().firstByteTimeout(),
            stub.settings().streamIdleTimeout(),
            stub.settings().callTimeout(),
            stub.settings().probeTimeout(),
            stub.settings().healthCacheTtl(),
            stub.settings().staticCredentials(),
            stub.settings().maxConnections());
    ModelProvider p = Providers.bedrock(noEndpoint);
    try {
      p.complete(Fixtures.ask(deployment(), "hi"));
    } finally {
      System.clearProperty("aws.endpointUrlBedrockRuntime");
      ((AutoCloseable) p).close();
    }
    assertThat(stub.requestCount()).isEqualTo(1);
  }

  @Test
  void testsRunWithoutInstanceMetadataAndWithoutAnAmbientApiKey() {
    // Set by this module's surefire configuration; a default-chain client must not probe IMDS.
    assertThat(System.getenv("AWS_EC2_METADATA_DISABLED")).isEqualTo("true");
    assertThat(System.getenv("AWS_BEARER_TOKEN_BEDROCK")).isNull();
  }

  @Test
  void credentialsNeverShowInSettingsText() {
    assertThat(stub.settings().toString())
        .contains(BedrockStub.ACCESS_KEY_ID)
        .doesNotContain(BedrockStub.SECRET_ACCESS_KEY);
  }
}
