package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.KeyStoreContract;

class InMemoryKeyStoreTest extends KeyStoreContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
