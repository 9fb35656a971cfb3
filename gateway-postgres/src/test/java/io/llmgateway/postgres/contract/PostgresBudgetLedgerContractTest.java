package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.BudgetLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's BudgetLedger contract, run against the PostgreSQL adapter. */
class PostgresBudgetLedgerContractTest extends BudgetLedgerContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
