package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.LeaseLedgerContract;

class InMemoryLeaseLedgerContractTest extends LeaseLedgerContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
