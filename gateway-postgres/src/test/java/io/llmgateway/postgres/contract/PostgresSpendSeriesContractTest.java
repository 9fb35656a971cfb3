package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.SpendSeriesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's spend series contract, run against the PostgreSQL adapter. */
class PostgresSpendSeriesContractTest extends SpendSeriesContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
