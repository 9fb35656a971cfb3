package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.catalog.Deployment;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One SDK client per (region, endpoint), shared by every deployment that needs it. */
class BedrockClientsTest {

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
  void sharesClientsPerRegionAndEndpoint() {
    URI stub = URI.create("http://127.0.0.1:1");
    try (BedrockClients clients =
        new BedrockClients(BedrockSettings.defaults().withStaticCredentials("AKID", "secret"))) {
      var east = clients.keyFor(at("us-east-1", Optional.empty()));
      var eastAgain = clients.keyFor(at("us-east-1", Optional.empty()));
      var west = clients.keyFor(at("us-west-2", Optional.empty()));
      var pinned = clients.keyFor(at("us-east-1", Optional.of(stub)));

      assertThat(clients.sync(east)).isSameAs(clients.sync(eastAgain));
      assertThat(clients.async(east)).isSameAs(clients.async(eastAgain));
      assertThat(clients.sync(west)).isNotSameAs(clients.sync(east));
      assertThat(clients.sync(pinned)).isNotSameAs(clients.sync(east));
    }
  }

  @Test
  void defaultsTheRegionAndPrefersTheDeploymentsEndpoint() {
    URI fromSettings = URI.create("http://127.0.0.1:1");
    URI fromDeployment = URI.create("http://127.0.0.1:2");
    try (BedrockClients clients =
        new BedrockClients(BedrockSettings.defaults().withEndpoint(fromSettings))) {
      assertThat(clients.keyFor(at(null, Optional.empty())))
          .isEqualTo(new BedrockClients.Key("us-east-1", Optional.of(fromSettings)));
      assertThat(clients.keyFor(at("eu-west-1", Optional.of(fromDeployment))))
          .isEqualTo(new BedrockClients.Key("eu-west-1", Optional.of(fromDeployment)));
    }
  }
}
