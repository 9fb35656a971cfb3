package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.KeyStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's KeyStore contract, run against the PostgreSQL adapter. */
class PostgresKeyStoreContractTest extends KeyStoreContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
