package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.UpkeepLedgerContract;

class InMemoryUpkeepLedgerContractTest extends UpkeepLedgerContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
