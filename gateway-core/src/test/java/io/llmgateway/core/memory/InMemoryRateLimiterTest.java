package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.RateLimiterContract;

class InMemoryRateLimiterTest extends RateLimiterContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
