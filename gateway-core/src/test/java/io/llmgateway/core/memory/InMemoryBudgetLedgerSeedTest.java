package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.BudgetLedgerSeedContract;

class InMemoryBudgetLedgerSeedTest extends BudgetLedgerSeedContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
