package io.llmgateway.cli.db;

import io.llmgateway.core.Stores;

/** An open database: its storage ports until {@link #close()}. Thread-safe. */
public interface DatabaseSession extends AutoCloseable {

  Stores stores();

  /** The budget alerts' tables (thresholds, outbox), on PostgreSQL. */
  default java.util.Optional<io.llmgateway.postgres.PostgresAlerts> alerts() {
    return java.util.Optional.empty();
  }

  /** The database's budget time zone: the calendar of every budget window and report day. */
  java.time.ZoneId budgetZone();

  /** What the session is connected to, without secrets (for messages). */
  String describe();

  @Override
  void close();
}
