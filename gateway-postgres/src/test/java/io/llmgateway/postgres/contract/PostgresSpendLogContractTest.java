package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.SpendLogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's SpendLog contract, run against the PostgreSQL adapter. */
class PostgresSpendLogContractTest extends SpendLogContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
