package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.UserStoreContract;

class InMemoryUserStoreTest extends UserStoreContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
