package io.llmgateway.server.support;

import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A dedicated embedded PostgreSQL (production durability: synchronous_commit and fsync on) that a
 * test can crash and bring back on the same port and data directory. The crash SIGKILLs the
 * postmaster and every server process at once, so nothing is flushed on the way down: whatever WAL
 * was still in shared memory (commits made without waiting for the flush) is gone, as after a
 * kernel OOM kill or a power cut. Not thread-safe; one per test.
 */
public final class CrashablePostgres implements AutoCloseable {
  private final Path dir;
  private final int port;
  private EmbeddedDatabase db;

  private CrashablePostgres(Path dir, EmbeddedDatabase db) {
    this.dir = dir;
    this.db = db;
    this.port = db.port();
  }

  public static CrashablePostgres start(Path dir) {
    return new CrashablePostgres(dir, EmbeddedDatabase.start(dir));
  }

  /** The gateway's database on this server. */
  public DatabaseConfig config(int poolSize) {
    return db.config(poolSize);
  }

  public Connection connect() throws SQLException {
    DatabaseConfig c = db.config(1);
    return DriverManager.getConnection(c.jdbcUrl(), c.username(), c.password());
  }

  /**
   * Polls {@code countQuery} (a count that grows with each commit of interest, e.g. of spend rows)
   * and crashes the server as soon as it has grown: right after a commit, when its WAL is least
   * likely to have been flushed yet. Crashes anyway after 5 s.
   */
  public void crashRightAfterACommitOf(String countQuery) throws Exception {
    List<ProcessHandle> processes = serverProcesses();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      long first = count(s, countQuery);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (count(s, countQuery) == first && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      // Processes started since (new connections' backends) are found again at the last moment.
      processes = serverProcesses();
      processes.forEach(ProcessHandle::destroyForcibly);
    }
    for (ProcessHandle p : processes) {
      p.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  /** Starts the server again on the same port and data directory (crash recovery runs). */
  public void restart() {
    db.close(); // its pg_ctl stop finds nothing to stop; this frees the data directory's lock
    db = EmbeddedDatabase.start(dir, port);
  }

  private static long count(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The postmaster named by postmaster.pid and every process under it. */
  private List<ProcessHandle> serverProcesses() throws IOException {
    long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(postmaster);
    return all;
  }

  @Override
  public void close() {
    try {
      db.close();
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
