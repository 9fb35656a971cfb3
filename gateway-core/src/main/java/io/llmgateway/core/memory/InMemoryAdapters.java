package io.llmgateway.core.memory;

import io.llmgateway.core.Stores;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.session.SessionStore;

/**
 * The one public entry to the in-memory adapters: every storage port, backed by this process's
 * memory. For tests, demos and embedding the gateway without a database; state is lost on exit and
 * is not shared between processes. Thread-safe.
 */
public final class InMemoryAdapters {
  private InMemoryAdapters() {}

  /** Fresh, empty stores that share nothing with any other call. */
  public static Stores create() {
    IdentityTables identity = new IdentityTables();
    InMemorySpendLog spendLog = new InMemorySpendLog();
    return new Stores(
        new InMemoryKeyStore(identity, spendLog),
        new InMemoryTeamStore(identity),
        new InMemoryUserStore(identity, spendLog),
        new InMemoryCatalogStore(),
        new InMemoryBudgetLedger(spendLog),
        new InMemoryRateLimiter(),
        spendLog,
        new InMemoryAuditLog(),
        new InMemoryInvalidationBus(),
        new InMemoryOperatorStore(),
        new InMemorySessionStore());
  }

  /** Refusals an in-memory request log keeps at most (the oldest are dropped first). */
  public static final int REFUSAL_LOG_CAPACITY = 100_000;

  /**
   * A fresh, empty refusal log (the request log's refused requests) holding at most {@link
   * #REFUSAL_LOG_CAPACITY} rows, kept apart from {@link Stores} so that record does not change.
   */
  public static RefusalLog refusalLog() {
    return new InMemoryRefusalLog(REFUSAL_LOG_CAPACITY);
  }

  /**
   * A fresh, empty admin UI session store, apart from any {@link Stores} (a UI over stores of its
   * own). Sessions live in this process only: with several instances, sign in on each.
   */
  public static SessionStore sessionStore() {
    return new InMemorySessionStore();
  }
}
