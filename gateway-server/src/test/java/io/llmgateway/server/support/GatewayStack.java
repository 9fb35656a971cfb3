package io.llmgateway.server.support;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.llmgateway.bedrock.BedrockSettings;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.Stores;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.testing.MutableClock;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.boot.StartupConfigSync;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The real thing, in-process: a fresh PostgreSQL database (migrated), the seed's models and tiers
 * applied from {@code config/}, the Bedrock adapter pointed at a wire-format {@link BedrockStub},
 * and the server on a free loopback port with a movable clock. Close it after use.
 */
public final class GatewayStack implements AutoCloseable {
  public static final String MASTER_KEY = "sk-test-master-key-0123456789";
  public static final Path MODELS = Path.of("..", "config", "models.yaml");
  public static final Path TIERS = Path.of("..", "config", "tiers.yaml");

  public final MutableClock clock;
  public final BedrockStub stub;
  public final PostgresAdapters adapters;
  public final AdminService admin;
  public final GatewayServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> others = new java.util.ArrayList<>();

  private GatewayStack(ServerConfig config, UnaryOperator<BedrockSettings> bedrock, Instant start) {
    this(config, bedrock, start, UnaryOperator.identity());
  }

  /** as configured, with the server builder adjusted (e.g. its tracing). */
  public static GatewayStack start(
      ServerConfig config,
      UnaryOperator<BedrockSettings> bedrock,
      UnaryOperator<GatewayServer.Builder> server) {
    return new GatewayStack(config, bedrock, Instant.parse("2026-11-27T10:00:00Z"), server);
  }

  private GatewayStack(
      ServerConfig config,
      UnaryOperator<BedrockSettings> bedrock,
      Instant start,
      UnaryOperator<GatewayServer.Builder> adjust) {
    this.clock = new MutableClock(start);
    this.stub = BedrockStub.start();
    this.adapters = PostgresAdapters.start(PostgresFixture.migratedDatabase());
    this.admin = new AdminService(adapters.stores(), clock, config.zone());
    StartupConfigSync.apply(admin, MODELS, TIERS);
    ModelProvider bedrockProvider = Providers.bedrock(bedrock.apply(stub.settings()));
    this.server =
        adjust
            .apply(
                GatewayServer.builder(config.toBuilder().masterKey(MASTER_KEY).build())
                    .stores(adapters.stores())
                    .refusalLog(adapters.refusalLog())
                    .provider(bedrockProvider)
                    .clock(clock)
                    .readiness(adapters::isHealthy))
            .start();
  }

  /** Default limits, UTC, 2026-11-27 10:00 UTC. */
  public static GatewayStack start() {
    return start(ServerConfig.forTests(), UnaryOperator.identity());
  }

  public static GatewayStack start(ServerConfig config, UnaryOperator<BedrockSettings> bedrock) {
    return new GatewayStack(config, bedrock, Instant.parse("2026-11-27T10:00:00Z"));
  }

  /** Default configuration with the clock starting at {@code start}. */
  public static GatewayStack startAt(Instant start) {
    return new GatewayStack(ServerConfig.forTests(), UnaryOperator.identity(), start);
  }

  public Stores stores() {
    return adapters.stores();
  }

  /** A new user in {@code tier} with one key; returns the plaintext key. */
  public String userKey(String tier) {
    return issue(tier, UserSpec.member(newUserId(tier), tier)).plaintext();
  }

  /** A new user in {@code tier} with its own budget overrides; returns the issued key. */
  public IssuedKey userKey(String tier, List<BudgetLimit> userBudgets) {
    return issue(
        tier, UserSpec.member(newUserId(tier), tier).toBuilder().budgets(userBudgets).build());
  }

  /** A key from a full spec (rate limits, expiry ...); its user is created in {@code tier}. */
  public IssuedKey key(String tier, java.util.function.UnaryOperator<KeySpec> spec) {
    String userId = newUserId(tier);
    admin.createUser(Principal.MASTER, UserSpec.member(userId, tier));
    return admin.generateKey(
        Principal.MASTER, spec.apply(KeySpec.builder().userId(userId).teamId(tier).build()));
  }

  private IssuedKey issue(String tier, UserSpec spec) {
    admin.createUser(Principal.MASTER, spec);
    return admin.generateKey(
        Principal.MASTER,
        KeySpec.forUser(spec.userId().orElseThrow()).toBuilder().teamId(tier).build());
  }

  private static String newUserId(String tier) {
    return tier + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The official OpenAI SDK pointed at this gateway, without retries (errors are asserted). */
  public OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(server.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /** A raw POST (for inputs no SDK would send). */
  public HttpResponse<String> post(String path, String key, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String key, String json) throws Exception {
    return post(path, key, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpClient http() {
    return http;
  }

  /**
   * Starts another gateway instance on this stack's database, as another task behind the load
   * balancer: its own connection pool and LISTEN connection, the given provider, the same clock. It
   * is closed with the stack.
   */
  public GatewayServer anotherInstance(ModelProvider provider) {
    PostgresAdapters own = PostgresAdapters.start(adapters.config());
    others.add(own);
    GatewayServer instance =
        GatewayServer.builder(ServerConfig.forTests().toBuilder().masterKey(MASTER_KEY).build())
            .stores(own.stores())
            .refusalLog(own.refusalLog())
            .provider(provider)
            .clock(clock)
            .start();
    others.add(instance);
    return instance;
  }

  @Override
  public void close() {
    // Servers before the pools they use: the last added closes first.
    for (AutoCloseable c : others.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    server.close();
    stub.close();
    adapters.close();
  }

  /**
   * The spend rows {@code which} selects, once this server's deferred settlements are written (the
   * spend row is written just after the answer).
   */
  public List<io.llmgateway.core.spend.SpendRecord> spend(
      java.util.function.Predicate<io.llmgateway.core.spend.SpendRecord> which) {
    if (!server.gateway().flushSettlements(Duration.ofSeconds(10))) {
      throw new AssertionError("settlements not written within 10 s");
    }
    return stores()
        .spendLog()
        .query(io.llmgateway.core.spend.SpendQuery.all(io.llmgateway.core.PageRequest.first(1000)))
        .items()
        .stream()
        .filter(which)
        .toList();
  }

  /** The spend rows of request {@code requestId} (a completion, response or message id). */
  public List<io.llmgateway.core.spend.SpendRecord> spendOf(String requestId) {
    return spend(r -> r.requestId().equals(requestId));
  }

  /** The spend rows charged to {@code key}. */
  public List<io.llmgateway.core.spend.SpendRecord> spendOf(IssuedKey key) {
    return spend(r -> r.keyId().equals(key.key().id()));
  }

  /** The user's first settled (not pending) spend record, waited for up to {@code timeout}. */
  public io.llmgateway.core.spend.SpendRecord awaitSettledSpend(String userId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      java.util.Optional<io.llmgateway.core.spend.SpendRecord> r =
          stores()
              .spendLog()
              .query(
                  io.llmgateway.core.spend.SpendQuery.all(
                      io.llmgateway.core.PageRequest.first(1000)))
              .items()
              .stream()
              .filter(x -> x.userId().equals(java.util.Optional.of(userId)))
              .filter(x -> x.status() != io.llmgateway.core.spend.SpendStatus.PENDING)
              .findFirst();
      if (r.isPresent()) {
        return r.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no settled spend record for " + userId);
  }
}
