package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.UpkeepLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's BudgetLedger upkeep contract, run against the PostgreSQL adapter. */
class PostgresUpkeepLedgerContractTest extends UpkeepLedgerContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
