package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.BudgetLedgerSeedContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's seeding contract, run against the PostgreSQL adapter. */
class PostgresBudgetLedgerSeedContractTest extends BudgetLedgerSeedContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
