package io.llmgateway.server.ui;

import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.testing.PostgresFixture;
import io.llmgateway.server.DatabaseSettings;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.TimingSettings;
import io.llmgateway.server.boot.Bootstrap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A whole gateway started the way {@code Main} starts it ({@link Bootstrap}: migrations, the seed's
 * models and tiers from {@code config/}, the mock provider serving them, the UI with its PostgreSQL
 * session store), in-process on a free loopback port over a fresh real PostgreSQL database. {@link
 * #second()} starts another instance on the same database, as behind an ALB.
 */
final class UiStack implements AutoCloseable {
  static final String MASTER_KEY = "sk-ui-test-master-key-0123456789";
  static final String USER = "operator";
  static final String PASSWORD = "correct horse battery staple";

  /** Hashed once per JVM at bcrypt's minimum cost, to keep tests fast. */
  static final String HASH = Passwords.hash(PASSWORD.toCharArray(), 4);

  final ServerConfig config;
  final UiSettings ui;
  final Bootstrap.Started started;

  final Clock clock;

  /** The Bedrock wire-format stub the models are served by, when started with one. */
  final Optional<BedrockStub> stub;

  private UiStack(ServerConfig config, UiSettings ui, Clock clock) {
    this(config, ui, clock, List.of(), Optional.empty());
  }

  private UiStack(
      ServerConfig config,
      UiSettings ui,
      Clock clock,
      List<io.llmgateway.core.provider.ModelProvider> providers,
      Optional<BedrockStub> stub) {
    this.config = config;
    this.ui = ui;
    this.clock = clock;
    this.stub = stub;
    // A registered "bedrock" provider replaces the mock one the MOCK setting registers.
    List<io.llmgateway.core.provider.ModelProvider> all = new java.util.ArrayList<>(providers);
    stub.ifPresent(st -> all.add(Providers.bedrock(st.settings())));
    this.started = Bootstrap.start(config, clock, all, ui);
  }

  /**
   * With these providers registered over the configured mock (one named {@code bedrock} serves the
   * seed's models, e.g. the Bedrock adapter pointed at a {@code BedrockStub}).
   */
  static UiStack startWith(List<io.llmgateway.core.provider.ModelProvider> providers) {
    return new UiStack(
        config(PostgresFixture.migratedDatabase()),
        UiSettings.of(new UiSettings.Admin(USER, HASH)),
        Clock.systemUTC(),
        providers,
        Optional.empty());
  }

  /**
   * The default operator account and single sign-on configured (with a provider that is never
   * called: test sessions of named people are made by {@link #session}), with the seed's models
   * served by the project's Bedrock stub (real Converse wire format over HTTP) instead of the mock
   * provider.
   */
  static UiStack startWithBedrockStub() {
    return new UiStack(
        config(PostgresFixture.migratedDatabase()),
        withSessions(),
        Clock.systemUTC(),
        List.of(),
        Optional.of(BedrockStub.start()));
  }

  /**
   * Single sign-on settings whose provider is never contacted (tests sign in by {@link #session}).
   */
  static OidcSettings unusedSso() {
    return new OidcSettings(
        java.net.URI.create("https://idp.example.invalid"),
        "gateway-test",
        new ServerConfig.Secret("unused-client-secret-0123456789"),
        java.net.URI.create("https://gateway.example.invalid" + OidcSettings.CALLBACK_PATH),
        List.of("openid", "email"),
        "groups",
        "Test SSO",
        OidcSettings.ClientAuth.CLIENT_SECRET_BASIC,
        OidcSettings.EmailTrust.IF_CLAIMED,
        RoleMapping.none(),
        java.time.Duration.ofSeconds(5));
  }

  /** A session made outside the sign-in page: its cookie value and CSRF token. */
  record TestSession(String cookie, String csrf) {}

  /**
   * Test sign-in without single sign-on: stores a session of {@code username} with {@code grant}
   * directly in the session table (as the sign-in would), bound to this instance's credential (the
   * break-glass account's for its user name, else single sign-on's), and returns its cookie value.
   * Set it in a browser with {@link #signIn}.
   */
  TestSession session(String username, Grant grant) {
    String id = Secrets.token();
    String csrf = Secrets.token();
    java.time.Instant now = clock.instant();
    sql(
        "INSERT INTO ui_sessions (id_hash, username, grant_role, grant_teams, grant_user,"
            + " credential, csrf_token, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?::text[], ?, ?, ?, ?, ?)",
        Secrets.sha256Hex(id),
        username,
        grant.role(),
        grant instanceof Grant.TeamAdmin t ? "{" + String.join(",", t.teamIds()) + "}" : "{}",
        grant instanceof Grant.Member m ? m.userId() : null,
        credentialFor(username),
        csrf,
        java.sql.Timestamp.from(now),
        java.sql.Timestamp.from(now.plus(java.time.Duration.ofHours(1))));
    return new TestSession(id, csrf);
  }

  private String credentialFor(String username) {
    if (ui.admin().isPresent() && ui.admin().get().username().equals(username)) {
      return UiSessions.credential(ui.admin().get());
    }
    return ui.oidc().orElseThrow(() -> new IllegalStateException("no SSO configured")).credential();
  }

  /** Puts a test session's cookie into {@code browser} (on this stack's origin). */
  void signIn(org.openqa.selenium.WebDriver browser, String username, Grant grant) {
    TestSession s = session(username, grant);
    browser.manage().deleteAllCookies();
    browser.get(baseUrl() + "/ui/login");
    browser.manage().addCookie(new org.openqa.selenium.Cookie(Cookies.SESSION, s.cookie(), "/"));
  }

  static UiStack start() {
    return start(UiSettings.of(new UiSettings.Admin(USER, HASH)));
  }

  /**
   * The default operator account and single sign-on configured with a provider that is never
   * called, so that tests sign named people in by {@link #session} (the mock provider).
   */
  static UiStack startWithSessions() {
    return start(withSessions());
  }

  private static UiSettings withSessions() {
    return UiSettings.of(new UiSettings.Admin(USER, HASH)).toBuilder().oidc(unusedSso()).build();
  }

  static UiStack start(UiSettings ui) {
    return start(ui, Clock.systemUTC());
  }

  /** With a clock the test moves (session expiry). */
  static UiStack start(UiSettings ui, Clock clock) {
    return new UiStack(config(PostgresFixture.migratedDatabase()), ui, clock);
  }

  /**
   * Behind a "load balancer": the test client (loopback) is a trusted proxy ({@code
   * GATEWAY_TRUSTED_PROXIES}), so the {@code X-Forwarded-For} it sends names the client.
   */
  static UiStack startBehindProxy(UiSettings ui) {
    ServerConfig c = config(PostgresFixture.migratedDatabase());
    c =
        c.toBuilder()
            .http(c.http().toBuilder().trustedProxies(List.of("127.0.0.1/32", "::1/128")).build())
            .build();
    return new UiStack(c, ui, Clock.systemUTC());
  }

  /** Another instance on the same database, settings and clock. */
  UiStack second() {
    return new UiStack(config, ui, clock);
  }

  /** Another instance on the same database with other UI settings (e.g. a rotated password). */
  UiStack second(UiSettings other) {
    return new UiStack(config, other, clock);
  }

  /**
   * sso: another instance on the same database with other UI settings, listening on {@code port}
   * (single sign-on's redirect URI names the port before the instance starts).
   */
  UiStack second(UiSettings other, int port) {
    return new UiStack(config.toBuilder().port(port).build(), other, clock);
  }

  /**
   * Runs one SQL statement on this stack's database, for rows the admin API would refuse (data
   * written before a validation rule existed, or by another tool).
   */
  int sql(String statement, Object... params) {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(config.database().url().orElseThrow().value());
        java.sql.PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.execute() ? 0 : ps.getUpdateCount();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of a query, or null. */
  String sqlString(String query, Object... params) {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(config.database().url().orElseThrow().value());
        java.sql.PreparedStatement ps = c.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  GatewayServer server() {
    return started.server();
  }

  String baseUrl() {
    return server().baseUrl();
  }

  private static ServerConfig config(DatabaseConfig db) {
    try {
      String url =
          db.jdbcUrl()
              + (db.jdbcUrl().contains("?") ? "&" : "?")
              + "user="
              + URLEncoder.encode(db.username(), StandardCharsets.UTF_8)
              + (db.password() == null || db.password().isEmpty()
                  ? ""
                  : "&password=" + URLEncoder.encode(db.password(), StandardCharsets.UTF_8));
      Path dataDir = Files.createTempDirectory("ui-test-data");
      return new ServerConfig(
          ServerConfig.Mode.PRODUCTION,
          "127.0.0.1",
          0,
          Optional.of(new ServerConfig.Secret(MASTER_KEY)),
          ZoneId.of("UTC"),
          new DatabaseSettings(
              Optional.of(new ServerConfig.Secret(url)),
              dataDir,
              4,
              io.llmgateway.core.GatewayConfig.Settlement.DEFERRED,
              ServerConfig.DEFAULT_LEASE_WINDOW),
          new ServerConfig.Provider(
              ServerConfig.ProviderKind.MOCK, Optional.empty(), Optional.empty()),
          Path.of("..", "config", "models.yaml"),
          Path.of("..", "config", "tiers.yaml"),
          ServerConfig.Limits.DEFAULT,
          TimingSettings.DEFAULT,
          io.llmgateway.server.HttpSettings.DEFAULT);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server().close();
    stub.ifPresent(BedrockStub::close);
  }
}
