package io.llmgateway.core.memory;

import io.llmgateway.core.contract.OperatorStoreContract;
import io.llmgateway.core.identity.OperatorStore;

class InMemoryOperatorStoreTest extends OperatorStoreContract {
  @Override
  protected OperatorStore newStore() {
    return InMemoryAdapters.create().operators();
  }
}
