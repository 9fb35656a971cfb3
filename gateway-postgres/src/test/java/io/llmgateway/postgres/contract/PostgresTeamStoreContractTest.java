package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.TeamStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's TeamStore contract, run against the PostgreSQL adapter. */
class PostgresTeamStoreContractTest extends TeamStoreContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
