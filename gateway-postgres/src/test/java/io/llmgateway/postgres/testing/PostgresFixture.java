package io.llmgateway.postgres.testing;

import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.EmbeddedDatabase;
import io.llmgateway.postgres.PostgresAdapters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One PostgreSQL server per test JVM, and a fresh database for whoever asks: empty ({@link
 * #freshDatabase}) or with every migration applied ({@link #migratedDatabase}). By default an
 * embedded PostgreSQL 16 (started lazily, stopped at JVM exit); with {@code TEST_DATABASE_URL} (a
 * system property or environment variable, libpq or JDBC form) an external server, on which the
 * user must be allowed to {@code CREATE DATABASE}. Thread-safe.
 */
public final class PostgresFixture {
  public static final String URL_PROPERTY = "TEST_DATABASE_URL";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile Server server;
  private static volatile String migratedTemplate;

  private PostgresFixture() {}

  /** A new, empty database (not yet migrated), pool size 5. */
  public static DatabaseConfig freshDatabase() {
    return freshDatabase(DatabaseConfig.DEFAULT_POOL_SIZE);
  }

  public static DatabaseConfig freshDatabase(int poolSize) {
    return server().create(newName(), null, poolSize);
  }

  /**
   * A new database with every migration of this build applied, pool size 5: what {@code
   * PostgresAdapters.start} leaves behind before it claims the budget zone. Copied from a template
   * migrated once per JVM ({@code CREATE DATABASE ... TEMPLATE}, about a fifth of the time of
   * running the migrations again); tests of the migrations themselves take {@link #freshDatabase}.
   */
  public static DatabaseConfig migratedDatabase() {
    return migratedDatabase(DatabaseConfig.DEFAULT_POOL_SIZE);
  }

  public static DatabaseConfig migratedDatabase(int poolSize) {
    return server().create(newName(), migratedTemplate(), poolSize);
  }

  private static String migratedTemplate() {
    String t = migratedTemplate;
    if (t == null) {
      synchronized (PostgresFixture.class) {
        t = migratedTemplate;
        if (t == null) {
          t = "template_" + newName();
          DatabaseConfig template = server().create(t, null, 1);
          PostgresAdapters.migrate(template);
          // Nobody may connect to it any more: a copy fails while the template has a session.
          server().run("ALTER DATABASE " + t + " WITH ALLOW_CONNECTIONS false");
          migratedTemplate = t;
        }
      }
    }
    return t;
  }

  private static String newName() {
    return "t"
        + COUNTER.incrementAndGet()
        + "_"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** True when tests run against the embedded server (they may then stop and restart it). */
  public static boolean isEmbedded() {
    return externalUrl() == null;
  }

  private static Server server() {
    Server s = server;
    if (s == null) {
      synchronized (PostgresFixture.class) {
        s = server;
        if (s == null) {
          String url = externalUrl();
          s = url == null ? Server.embedded() : Server.external(DatabaseConfig.fromUrl(url, 1));
          server = s;
        }
      }
    }
    return s;
  }

  private static String externalUrl() {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null || url.isBlank()) {
      url = System.getenv(URL_PROPERTY);
    }
    return url == null || url.isBlank() ? null : url;
  }

  /** A server on which databases can be created, given as its admin connection settings. */
  private record Server(DatabaseConfig admin) {
    static Server embedded() {
      try {
        Path dir = Files.createTempDirectory("gateway-test-pg");
        EmbeddedDatabase db = EmbeddedDatabase.start(dir);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      db.close();
                      deleteTree(dir);
                    }));
        return new Server(db.config(1));
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a temporary directory", e);
      }
    }

    static Server external(DatabaseConfig admin) {
      return new Server(admin);
    }

    /** Creates {@code name}, empty or as a copy of {@code template} (when not null). */
    DatabaseConfig create(String name, String template, int poolSize) {
      run(
          "CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template),
          // Durability of the database server is not under test; without waiting for the WAL
          // flush at commit, a hot counter's row lock is held for microseconds instead of a disk
          // flush, so the multi-process tests stay fast on slow CI disks. Production keeps the
          // default.
          "ALTER DATABASE " + name + " SET synchronous_commit = off");
      return new DatabaseConfig(
          withDatabase(admin.jdbcUrl(), name), admin.username(), admin.password(), poolSize);
    }

    /** Runs {@code statements} in order on one admin connection (each its own transaction). */
    void run(String... statements) {
      try (Connection c =
              DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
          Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot run " + String.join("; ", statements), e);
      }
    }

    private static String withDatabase(String jdbcUrl, String name) {
      int query = jdbcUrl.indexOf('?');
      String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
      String tail = query < 0 ? "" : jdbcUrl.substring(query);
      int slash = base.indexOf('/', "jdbc:postgresql://".length());
      return (slash < 0 ? base + "/" : base.substring(0, slash + 1)) + name + tail;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at JVM exit
    }
  }
}
