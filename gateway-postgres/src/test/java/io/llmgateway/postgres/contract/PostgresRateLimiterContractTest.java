package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.RateLimiterContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core's RateLimiter contract, run against the PostgreSQL adapter: each test on a new instance,
 * since the limiter counts its slices in memory.
 */
class PostgresRateLimiterContractTest extends RateLimiterContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStoresOfANewInstance();
  }
}
