package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.CatalogStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's CatalogStore contract, run against the PostgreSQL adapter. */
class PostgresCatalogStoreContractTest extends CatalogStoreContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
