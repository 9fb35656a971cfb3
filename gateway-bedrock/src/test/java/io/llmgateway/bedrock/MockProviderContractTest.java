package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.provider.ModelProvider;

/** The provider contract, for the offline mock. */
class MockProviderContractTest extends ModelProviderContract {
  private final ModelProvider provider = Providers.mock(MockSettings.defaults());

  @Override
  protected ModelProvider provider() {
    return provider;
  }

  @Override
  protected Deployment deployment() {
    return Fixtures.deployment("mock");
  }

  @Override
  protected String expectedName() {
    return "mock";
  }
}
