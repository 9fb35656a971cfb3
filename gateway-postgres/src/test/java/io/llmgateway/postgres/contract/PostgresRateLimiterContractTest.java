package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.RateLimiterContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's RateLimiter contract, run against the PostgreSQL adapter. */
class PostgresRateLimiterContractTest extends RateLimiterContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
