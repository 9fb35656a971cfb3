package io.llmgateway.core.memory;

import io.llmgateway.core.contract.SessionStoreContract;
import io.llmgateway.core.session.SessionStore;

class InMemorySessionStoreTest extends SessionStoreContract {
  @Override
  protected SessionStore newStore() {
    return InMemoryAdapters.sessionStore();
  }
}
