package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.SpendSeriesContract;

class InMemorySpendSeriesTest extends SpendSeriesContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
