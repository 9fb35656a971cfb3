package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.CatalogStoreContract;

class InMemoryCatalogStoreTest extends CatalogStoreContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
