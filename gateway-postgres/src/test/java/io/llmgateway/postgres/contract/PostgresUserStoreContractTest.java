package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.UserStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's UserStore contract, run against the PostgreSQL adapter. */
class PostgresUserStoreContractTest extends UserStoreContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
