package io.llmgateway.cli.testing;

import io.llmgateway.cli.CliEnvironment;
import io.llmgateway.cli.GatewayAdmin;
import io.llmgateway.cli.db.DatabaseConnector;
import io.llmgateway.cli.db.PostgresConnector;
import io.llmgateway.core.Stores;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code gateway-admin} in-process, as a shell would but without a process: captured stdout
 * and stderr, an explicit environment map (never {@code System.getenv}), a working directory with
 * the repository's config files, and a hand-moved clock.
 */
public final class CliHarness {
  /** Where the project's config/ lives, from the module directory Maven runs tests in. */
  public static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();

  public final Map<String, String> env = new HashMap<>();
  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  public final Path workDir;
  private final DatabaseConnector connector;
  private final Stores stores;
  public boolean terminal;

  /** The test's own adapters on the CLI's database (alerts, data source); null off PostgreSQL. */
  public PostgresAdapters adapters;

  /** Who answers confirmations: nobody (as in a script) unless a test sets one. */
  public io.llmgateway.cli.Prompt prompt = io.llmgateway.cli.Prompt.NONE;

  public CliHarness(Path workDir, DatabaseConnector connector, Stores stores) throws IOException {
    this.workDir = workDir;
    this.connector = connector;
    this.stores = stores;
    Path config = Files.createDirectories(workDir.resolve("config"));
    Files.copy(REPO_ROOT.resolve("config/tiers.yaml"), config.resolve("tiers.yaml"));
    Files.copy(REPO_ROOT.resolve("config/models.yaml"), config.resolve("models.yaml"));
    env.put("HOME", workDir.resolve("home").toString());
  }

  /**
   * A fresh PostgreSQL database, given to the CLI as {@code DATABASE_URL} in its environment map
   * (the real connector: migrations, pool, adapters), and read back by the test through its own
   * adapters.
   */
  public static CliHarness onPostgres(Path workDir) throws IOException {
    DatabaseConfig db = PostgresFixture.migratedDatabase(2);
    PostgresAdapters reader = PostgresAdapters.start(db);
    OPEN.add(reader);
    CliHarness h = new CliHarness(workDir, new PostgresConnector(), reader.stores());
    h.adapters = reader;
    h.env.put("DATABASE_URL", urlOf(db));
    return h;
  }

  /** The libpq-less JDBC form with credentials as parameters, as a user could write it. */
  public static String urlOf(DatabaseConfig db) {
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.username();
    return db.password().isEmpty() ? url : url + "&password=" + db.password();
  }

  private static final java.util.List<PostgresAdapters> OPEN =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  /** Closes the test's own readers (pools), after each test. */
  public static void closeAll() {
    synchronized (OPEN) {
      OPEN.forEach(PostgresAdapters::close);
      OPEN.clear();
    }
  }

  /** The stores the CLI writes to, for asserting database state. */
  public Stores stores() {
    return stores;
  }

  public Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnvironment environment =
        new CliEnvironment(env, clock, terminal, workDir, connector, prompt);
    int code =
        GatewayAdmin.run(environment, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  public Path write(String name, String content) throws IOException {
    return Files.writeString(workDir.resolve(name), content);
  }

  /** The outcome of one invocation. */
  public record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
