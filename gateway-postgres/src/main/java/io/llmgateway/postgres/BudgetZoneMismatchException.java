package io.llmgateway.postgres;

import java.time.ZoneId;
import java.util.Objects;

/**
 * An instance was configured with a budget time zone other than the one its database holds. The
 * zone belongs to the database (table {@code gateway_settings}): instances on different zones would
 * each grant a full day, so such an instance must not start. Callers turn this into a message
 * naming their own setting (the server: {@code GATEWAY_TIMEZONE}).
 */
public final class BudgetZoneMismatchException extends RuntimeException {
  private final transient ZoneId configured;
  private final transient ZoneId database;

  BudgetZoneMismatchException(ZoneId configured, ZoneId database) {
    super(
        "configured budget time zone "
            + configured.getId()
            + " differs from the database's budget time zone "
            + database.getId());
    this.configured = Objects.requireNonNull(configured);
    this.database = Objects.requireNonNull(database);
  }

  /** The zone this instance was configured with. */
  public ZoneId configured() {
    return configured;
  }

  /** The zone the database holds, which every instance on it uses. */
  public ZoneId database() {
    return database;
  }
}
