package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.SpendLogContract;

class InMemorySpendLogTest extends SpendLogContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
