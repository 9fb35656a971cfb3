package io.llmgateway.core.memory;

import io.llmgateway.core.contract.RefusalLogContract;
import io.llmgateway.core.requestlog.RefusalLog;

class InMemoryRefusalLogTest extends RefusalLogContract {
  @Override
  protected RefusalLog newLog() {
    return InMemoryAdapters.refusalLog();
  }
}
