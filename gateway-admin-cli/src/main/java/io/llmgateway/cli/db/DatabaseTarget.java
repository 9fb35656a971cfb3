package io.llmgateway.cli.db;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which database a command works on: a URL ({@code DATABASE_URL} / {@code --database-url}) or the
 * embedded PostgreSQL in a data directory. {@link #toString()} never shows a password. Immutable
 * and thread-safe.
 */
public sealed interface DatabaseTarget {

  int poolSize();

  /** A PostgreSQL server given by a libpq or JDBC URL, which may contain a password. */
  record Url(String url, int poolSize) implements DatabaseTarget {
    public Url {
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
      return "database " + Redaction.url(url);
    }
  }

  /** The embedded PostgreSQL kept in {@code dataDir} (the server's default too). */
  record Embedded(Path dataDir, int poolSize) implements DatabaseTarget {
    public Embedded {
      Objects.requireNonNull(dataDir, "dataDir");
    }

    @Override
    public String toString() {
      return "embedded database in " + dataDir;
    }
  }
}
