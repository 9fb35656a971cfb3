package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.InvalidationBusContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's InvalidationBus contract, run against the PostgreSQL adapter. */
class PostgresInvalidationBusContractTest extends InvalidationBusContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
