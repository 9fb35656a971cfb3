package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.BudgetLedgerContract;

class InMemoryBudgetLedgerTest extends BudgetLedgerContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
