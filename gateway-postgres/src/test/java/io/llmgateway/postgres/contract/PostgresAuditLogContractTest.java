package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.core.contract.AuditLogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's AuditLog contract, run against the PostgreSQL adapter. */
class PostgresAuditLogContractTest extends AuditLogContract {
  @RegisterExtension static final ContractDatabase DB = new ContractDatabase();

  @Override
  protected Stores newStores() {
    return DB.emptyStores();
  }
}
