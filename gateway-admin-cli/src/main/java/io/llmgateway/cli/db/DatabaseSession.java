package io.llmgateway.cli.db;

import io.llmgateway.core.Stores;

/** An open database: its storage ports until {@link #close()}. Thread-safe. */
public interface DatabaseSession extends AutoCloseable {

  Stores stores();

  /** What the session is connected to, without secrets (for messages). */
  String describe();

  @Override
  void close();
}
