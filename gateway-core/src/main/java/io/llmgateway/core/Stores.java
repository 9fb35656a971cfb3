package io.llmgateway.core;

import io.llmgateway.core.audit.AuditLog;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.catalog.CatalogStore;
import io.llmgateway.core.identity.KeyStore;
import io.llmgateway.core.identity.OperatorStore;
import io.llmgateway.core.identity.TeamStore;
import io.llmgateway.core.identity.UserStore;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.spend.SpendLog;
import java.util.Objects;

/**
 * Every storage port the gateway needs, as one value. Built by an adapter module's factory ({@code
 * InMemoryAdapters}, {@code PostgresAdapters}). Immutable and thread-safe.
 */
public record Stores(
    KeyStore keys,
    TeamStore teams,
    UserStore users,
    CatalogStore catalog,
    BudgetLedger ledger,
    RateLimiter rateLimiter,
    SpendLog spendLog,
    AuditLog auditLog,
    InvalidationBus invalidations,
    OperatorStore operators,
    SessionStore sessions) {
  public Stores {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(teams, "teams");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(rateLimiter, "rateLimiter");
    Objects.requireNonNull(spendLog, "spendLog");
    Objects.requireNonNull(auditLog, "auditLog");
    Objects.requireNonNull(invalidations, "invalidations");
    Objects.requireNonNull(operators, "operators");
    Objects.requireNonNull(sessions, "sessions");
  }
}
