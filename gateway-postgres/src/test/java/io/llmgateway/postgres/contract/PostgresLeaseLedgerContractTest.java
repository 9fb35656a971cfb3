package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.LeaseLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's BudgetLedger lease contract, run against the PostgreSQL adapter. */
class PostgresLeaseLedgerContractTest extends LeaseLedgerContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
