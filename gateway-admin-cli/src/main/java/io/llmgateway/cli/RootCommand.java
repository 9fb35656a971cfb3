package io.llmgateway.cli;

import io.llmgateway.cli.admin.Admin;
import io.llmgateway.cli.admin.HttpAdmin;
import io.llmgateway.cli.admin.ServiceAdmin;
import io.llmgateway.cli.commands.CompletionCommand;
import io.llmgateway.cli.commands.DbCommand;
import io.llmgateway.cli.commands.KeysCommand;
import io.llmgateway.cli.commands.ModelsCommand;
import io.llmgateway.cli.commands.SettingsCommand;
import io.llmgateway.cli.commands.SpendCommand;
import io.llmgateway.cli.commands.TeamsCommand;
import io.llmgateway.cli.commands.UsersCommand;
import io.llmgateway.cli.db.DatabaseSession;
import io.llmgateway.cli.db.DatabaseTarget;
import io.llmgateway.core.admin.AdminService;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code gateway-admin}: the root command, its global options, and the one database session the
 * invoked subcommand uses (opened on first use, closed by {@link GatewayAdmin}). Not thread-safe:
 * one instance per invocation.
 */
@Command(
    name = "gateway-admin",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Administers the LLM gateway: tiers (teams), users, virtual keys, models, spend.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      TeamsCommand.class,
      UsersCommand.class,
      KeysCommand.class,
      ModelsCommand.class,
      SpendCommand.class,
      io.llmgateway.cli.commands.AlertsCommand.class,
      DbCommand.class,
      SettingsCommand.class,
      CompletionCommand.class,
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  GATEWAY_URL           the gateway's base URL: use its admin API instead of",
      "                        the database (e.g. through the ALB from outside the VPC)",
      "  GATEWAY_ADMIN_KEY     the master, proxy-admin or team-admin key for GATEWAY_URL",
      "                        (only from the environment, never a flag: keeps it out of",
      "                        shell history and process lists)",
      "  DATABASE_URL          postgresql://user:pass@host:5432/db or a JDBC URL",
      "                        (default: the embedded database the server uses)",
      "  GATEWAY_DATA_DIR      embedded database directory",
      "                        (default $XDG_DATA_HOME/llm-gateway or",
      "                        ~/.local/share/llm-gateway, as the server)",
      "  GATEWAY_TIMEZONE      budget time zone; if set, must be the database's",
      "                        (see 'gateway-admin settings timezone')",
      "  GATEWAY_DB_POOL_SIZE  database connections (default 5)",
      "%nExit codes: 0 ok, 1 invalid input or data (fix the file or argument),",
      "  2 usage error (see --help), 3 database or other infrastructure failure."
    })
public final class RootCommand {
  static final String DEFAULT_DATA_DIR = ".local/share/llm-gateway";

  private final CliEnvironment environment;
  private DatabaseSession session;
  private Admin admin;
  private int minimumPoolSize = 1;
  private boolean changesData;

  @Option(
      names = "--database-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "PostgreSQL to administer (overrides DATABASE_URL).")
  String databaseUrl;

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Gateway base URL (overrides GATEWAY_URL): use its admin API with GATEWAY_ADMIN_KEY"
              + " instead of the database.")
  String url;

  @Option(
      names = "--data-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Embedded database directory (overrides GATEWAY_DATA_DIR).")
  Path dataDir;

  @Option(
      names = "--timezone",
      scope = ScopeType.INHERIT,
      paramLabel = "ZONE",
      description =
          "Budget time zone expected (overrides GATEWAY_TIMEZONE): the database's zone is used;"
              + " a different one is refused. Stored if the database has none yet (default UTC).")
  String timezone;

  RootCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  public CliEnvironment environment() {
    return environment;
  }

  /**
   * The budget time zone: the database's (gateway_settings), in which the server computes every
   * budget window; a zone configured here must be that one.
   */
  public ZoneId zone() {
    if (apiUrl().isPresent()) {
      // Over the API the gateway's zone (it names it with each spend report), held to the same
      // rule as the database's: a zone configured here must be that one.
      ZoneId gateway = admin().zone();
      Optional<ZoneId> configured = configuredZone();
      if (configured.isPresent() && !configured.get().equals(gateway)) {
        throw CliException.usage(
            "GATEWAY_TIMEZONE / --timezone is "
                + configured.get().getId()
                + " but the gateway's budget time zone is "
                + gateway.getId()
                + ": leave it unset (the CLI uses the gateway's zone)");
      }
      return gateway;
    }
    return session().budgetZone();
  }

  /** The zone given by --timezone or GATEWAY_TIMEZONE, if any. */
  private Optional<ZoneId> configuredZone() {
    return Optional.ofNullable(timezone)
        .or(() -> environment.get("GATEWAY_TIMEZONE"))
        .map(RootCommand::parseZone);
  }

  /** A zone named on the command line; a usage error if unknown. */
  public static ZoneId parseZone(String z) {
    try {
      return ZoneId.of(z.trim());
    } catch (DateTimeException e) {
      throw CliException.usage(
          "unknown time zone '" + z + "': use a region id such as UTC or Europe/Berlin");
    }
  }

  /** Where the database is: flag, then DATABASE_URL, then the embedded default. */
  public DatabaseTarget target() {
    int pool = Math.max(poolSize(), minimumPoolSize);
    if (databaseUrl != null && !databaseUrl.isBlank()) {
      return new DatabaseTarget.Url(databaseUrl.trim(), pool);
    }
    var url = environment.get("DATABASE_URL");
    if (url.isPresent()) {
      return new DatabaseTarget.Url(url.get(), pool);
    }
    return new DatabaseTarget.Embedded(embeddedDataDir(), pool);
  }

  private Path embeddedDataDir() {
    if (dataDir != null) {
      return environment.resolve(dataDir);
    }
    var fromEnv = environment.get("GATEWAY_DATA_DIR");
    if (fromEnv.isPresent()) {
      return environment.resolve(Path.of(fromEnv.get()));
    }
    var xdg = environment.get("XDG_DATA_HOME");
    if (xdg.isPresent()) {
      return Path.of(xdg.get()).resolve("llm-gateway");
    }
    String home =
        environment
            .get("HOME")
            .orElseThrow(
                () ->
                    CliException.usage(
                        "no database: set DATABASE_URL, or GATEWAY_DATA_DIR (HOME is not set)"));
    return Path.of(home).resolve(DEFAULT_DATA_DIR);
  }

  private int poolSize() {
    String raw = environment.get("GATEWAY_DB_POOL_SIZE").orElse("5");
    try {
      int n = Integer.parseInt(raw);
      if (n < 1 || n > 100) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw CliException.usage("GATEWAY_DB_POOL_SIZE must be a whole number from 1 to 100");
    }
  }

  /**
   * Asks for at least {@code connections} pooled connections (for parallel work); only effective
   * before the database is first used.
   */
  public void requirePoolSize(int connections) {
    minimumPoolSize = Math.max(minimumPoolSize, connections);
  }

  /**
   * Declares that the invoked command changes data: only then does opening the database apply
   * pending migrations (as the server does at start); a read-only command never changes the schema
   * and is refused on one that is not up to date. Only effective before the database is first used.
   */
  public void changesData(boolean changes) {
    changesData = changes;
  }

  /** The open database, opened on first use. */
  public DatabaseSession session() {
    if (session == null) {
      Optional<ZoneId> zone = configuredZone();
      session = environment.databases().open(target(), zone, changesData);
    }
    return session;
  }

  /** The gateway URL given by --url or GATEWAY_URL: the admin API mode. */
  public Optional<String> apiUrl() {
    return Optional.ofNullable(url)
        .filter(u -> !u.isBlank())
        .or(() -> environment.get("GATEWAY_URL"));
  }

  /**
   * The admin operations: over the admin API as the admin key's holder when a gateway URL is given,
   * else on the database as the proxy admin (the CLI holds the database itself).
   */
  public Admin admin() {
    if (admin == null) {
      Optional<String> api = apiUrl();
      admin =
          api.isPresent()
              ? new HttpAdmin(apiUri(api.get()), adminKey())
              : new ServiceAdmin(
                  new AdminService(session().stores(), environment.clock(), zone()),
                  zone(),
                  session().alerts());
    }
    return admin;
  }

  private static java.net.URI apiUri(String raw) {
    try {
      java.net.URI u = new java.net.URI(raw.trim());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new java.net.URISyntaxException(raw, "not an http(s) URL");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw CliException.usage(
          "GATEWAY_URL / --url must be the gateway's http(s) base URL, e.g."
              + " https://gateway.example.com");
    }
  }

  private String adminKey() {
    return environment
        .get("GATEWAY_ADMIN_KEY")
        .orElseThrow(
            () ->
                CliException.usage(
                    "GATEWAY_ADMIN_KEY is not set: the admin API mode (--url / GATEWAY_URL) needs"
                        + " a master, proxy-admin or team-admin key in the environment"));
  }

  void close() {
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
