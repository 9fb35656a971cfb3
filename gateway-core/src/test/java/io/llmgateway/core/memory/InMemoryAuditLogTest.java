package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.AuditLogContract;

class InMemoryAuditLogTest extends AuditLogContract {
  @Override
  protected Stores newStores() {
    return InMemoryAdapters.create();
  }
}
