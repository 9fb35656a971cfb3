package io.llmgateway.cli.testing;

import io.llmgateway.cli.db.DatabaseConnector;
import io.llmgateway.cli.db.DatabaseSession;
import io.llmgateway.cli.db.DatabaseTarget;
import io.llmgateway.core.Stores;
import io.llmgateway.core.memory.InMemoryAdapters;
import java.util.List;

/** In-memory stores shared by every invocation of one test (no schema, so no migrations). */
public final class MemoryConnector implements DatabaseConnector {
  private final Stores stores = InMemoryAdapters.create();

  public Stores stores() {
    return stores;
  }

  @Override
  public DatabaseSession open(DatabaseTarget target) {
    return new DatabaseSession() {
      @Override
      public Stores stores() {
        return stores;
      }

      @Override
      public String describe() {
        return "memory";
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public List<String> migrate(DatabaseTarget target) {
    return List.of();
  }

  @Override
  public MigrationStatus status(DatabaseTarget target) {
    return new MigrationStatus("memory", List.of(), List.of());
  }
}
