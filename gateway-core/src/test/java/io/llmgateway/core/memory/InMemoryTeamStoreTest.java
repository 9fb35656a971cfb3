package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.TeamStoreContract;

class InMemoryTeamStoreTest extends TeamStoreContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
