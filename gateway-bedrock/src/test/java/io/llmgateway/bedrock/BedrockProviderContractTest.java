package io.llmgateway.bedrock;

import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.provider.ModelProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The provider contract, for the Bedrock adapter against the wire-format stub. */
class BedrockProviderContractTest extends ModelProviderContract {
  private static BedrockStub stub;
  private static ModelProvider provider;

  @BeforeAll
  static void start() {
    stub = BedrockStub.start();
    provider = Providers.bedrock(stub.settings());
  }

  @AfterAll
  static void stop() throws Exception {
    ((AutoCloseable) provider).close();
    stub.close();
  }

  @Override
  protected ModelProvider provider() {
    return provider;
  }

  @Override
  protected Deployment deployment() {
    return Fixtures.deployment("bedrock");
  }

  @Override
  protected String expectedName() {
    return "bedrock";
  }
}
