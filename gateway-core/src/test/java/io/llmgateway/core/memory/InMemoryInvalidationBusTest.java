package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.InvalidationBusContract;

class InMemoryInvalidationBusTest extends InvalidationBusContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
