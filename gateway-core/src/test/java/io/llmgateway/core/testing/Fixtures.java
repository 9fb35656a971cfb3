package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builders for domain records with sensible defaults, shared by every module's tests through the
 * core test-jar. Instants are whole seconds so they survive a database round trip exactly.
 */
public final class Fixtures {
  private Fixtures() {}

  /** A fixed moment for tests: 2026-11-27 10:00 UTC. */
  public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  public static final Pricing NOVA_MICRO = pricing("0.035", "0.14");
  public static final Pricing NOVA_LITE = pricing("0.06", "0.24");
  public static final Pricing NOVA_PRO = pricing("0.80", "3.20");

  public static Pricing pricing(String inputUsdPerMillion, String outputUsdPerMillion) {
    return Pricing.perMillionUsd(inputUsdPerMillion, outputUsdPerMillion);
  }

  public static Money usd(String amount) {
    return Money.ofUsd(amount);
  }

  public static RateLimits rateLimits(long rpm, long tpm, long maxParallel) {
    return new RateLimits(OptionalLong.of(rpm), OptionalLong.of(tpm), OptionalLong.of(maxParallel));
  }

  /** A budget line on today's (UTC) daily counter of {@code scope}. */
  public static BudgetLine dailyLine(BudgetScope scope, Money limit, Instant now) {
    var period = BudgetWindow.DAILY.periodAt(now, ZoneOffset.UTC);
    return new BudgetLine(
        new CounterKey(scope, BudgetWindow.DAILY, period.key()), limit, period.end());
  }

  /** A budget line on this month's (UTC) counter of {@code scope}. */
  public static BudgetLine monthlyLine(BudgetScope scope, Money limit, Instant now) {
    var period = BudgetWindow.MONTHLY.periodAt(now, ZoneOffset.UTC);
    return new BudgetLine(
        new CounterKey(scope, BudgetWindow.MONTHLY, period.key()), limit, period.end());
  }

  public static TeamBuilder team(String id) {
    return new TeamBuilder(id);
  }

  public static UserBuilder user(String id) {
    return new UserBuilder(id);
  }

  public static KeyBuilder key(String id) {
    return new KeyBuilder(id);
  }

  public static DeploymentBuilder deployment(String id, String modelName) {
    return new DeploymentBuilder(id, modelName);
  }

  public static SpendBuilder spend(String requestId, String keyId) {
    return new SpendBuilder(requestId, keyId);
  }

  /** A team with alias = id, no tier, every model, no budgets and no rate limits. */
  public static final class TeamBuilder {
    private final String id;
    private String alias;
    private Optional<String> tier = Optional.empty();
    private List<String> models = List.of();
    private final List<BudgetLimit> teamBudgets = new ArrayList<>();
    private final List<BudgetLimit> memberBudgets = new ArrayList<>();
    private RateLimits rateLimits = RateLimits.NONE;
    private boolean blocked;
    private Map<String, Object> metadata = Map.of();
    private Instant at = T0;

    private TeamBuilder(String id) {
      this.id = id;
      this.alias = id;
    }

    public TeamBuilder alias(String v) {
      alias = v;
      return this;
    }

    public TeamBuilder tier(String v) {
      tier = Optional.of(v);
      return this;
    }

    public TeamBuilder models(String... v) {
      models = List.of(v);
      return this;
    }

    public TeamBuilder teamBudget(BudgetLimit v) {
      teamBudgets.add(v);
      return this;
    }

    public TeamBuilder memberBudget(BudgetLimit v) {
      memberBudgets.add(v);
      return this;
    }

    public TeamBuilder rateLimits(RateLimits v) {
      rateLimits = v;
      return this;
    }

    public TeamBuilder blocked(boolean v) {
      blocked = v;
      return this;
    }

    public TeamBuilder metadata(Map<String, Object> v) {
      metadata = v;
      return this;
    }

    public TeamBuilder at(Instant v) {
      at = v;
      return this;
    }

    public Team build() {
      return new Team(
          id,
          alias,
          tier,
          models,
          teamBudgets,
          memberBudgets,
          rateLimits,
          blocked,
          metadata,
          at,
          at);
    }
  }

  /** An INTERNAL_USER with no email, no team, every model and no budgets. */
  public static final class UserBuilder {
    private final String id;
    private Optional<String> email = Optional.empty();
    private Optional<String> alias = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private UserRole role = UserRole.INTERNAL_USER;
    private List<String> models = List.of();
    private final List<BudgetLimit> budgets = new ArrayList<>();
    private RateLimits rateLimits = RateLimits.NONE;
    private Map<String, Object> metadata = Map.of();
    private Instant at = T0;

    private UserBuilder(String id) {
      this.id = id;
    }

    public UserBuilder email(String v) {
      email = Optional.of(v);
      return this;
    }

    public UserBuilder alias(String v) {
      alias = Optional.of(v);
      return this;
    }

    public UserBuilder team(String v) {
      teamId = Optional.of(v);
      return this;
    }

    public UserBuilder role(UserRole v) {
      role = v;
      return this;
    }

    public UserBuilder models(String... v) {
      models = List.of(v);
      return this;
    }

    public UserBuilder budget(BudgetLimit v) {
      budgets.add(v);
      return this;
    }

    public UserBuilder rateLimits(RateLimits v) {
      rateLimits = v;
      return this;
    }

    public UserBuilder metadata(Map<String, Object> v) {
      metadata = v;
      return this;
    }

    public UserBuilder at(Instant v) {
      at = v;
      return this;
    }

    public User build() {
      return new User(
          id, email, alias, teamId, role, models, budgets, rateLimits, metadata, at, at);
    }
  }

  /**
   * An active LLM_API key whose plaintext is {@code sk-test-<id>} unless set; no owner, every
   * model, no budgets, never expires.
   */
  public static final class KeyBuilder {
    private final String id;
    private String plaintext;
    private Optional<String> alias = Optional.empty();
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private KeyRole role = KeyRole.LLM_API;
    private List<String> models = List.of();
    private final List<BudgetLimit> budgets = new ArrayList<>();
    private RateLimits rateLimits = RateLimits.NONE;
    private boolean blocked;
    private Optional<Instant> expiresAt = Optional.empty();
    private Optional<KeyHash> previousHash = Optional.empty();
    private Optional<Instant> graceUntil = Optional.empty();
    private Map<String, Object> metadata = new HashMap<>();
    private Instant at = T0;

    private KeyBuilder(String id) {
      this.id = id;
      this.plaintext = "sk-test-" + id;
    }

    public KeyBuilder plaintext(String v) {
      plaintext = v;
      return this;
    }

    /** The plaintext the built key's hash is made from. */
    public String plaintext() {
      return plaintext;
    }

    public KeyBuilder alias(String v) {
      alias = Optional.of(v);
      return this;
    }

    public KeyBuilder user(String v) {
      userId = Optional.of(v);
      return this;
    }

    public KeyBuilder team(String v) {
      teamId = Optional.of(v);
      return this;
    }

    public KeyBuilder role(KeyRole v) {
      role = v;
      return this;
    }

    public KeyBuilder models(String... v) {
      models = List.of(v);
      return this;
    }

    public KeyBuilder budget(BudgetLimit v) {
      budgets.add(v);
      return this;
    }

    public KeyBuilder rateLimits(RateLimits v) {
      rateLimits = v;
      return this;
    }

    public KeyBuilder blocked(boolean v) {
      blocked = v;
      return this;
    }

    public KeyBuilder expiresAt(Instant v) {
      expiresAt = Optional.of(v);
      return this;
    }

    /** Marks the key as rotated from {@code previousPlaintext}, still valid until {@code until}. */
    public KeyBuilder previous(String previousPlaintext, Instant until) {
      previousHash = Optional.of(KeyHash.of(previousPlaintext));
      graceUntil = Optional.of(until);
      return this;
    }

    public KeyBuilder metadata(Map<String, Object> v) {
      metadata = new HashMap<>(v);
      return this;
    }

    public KeyBuilder at(Instant v) {
      at = v;
      return this;
    }

    public VirtualKey build() {
      String tail = plaintext.substring(Math.max(0, plaintext.length() - 4));
      return new VirtualKey(
          id,
          KeyHash.of(plaintext),
          "sk-..." + tail,
          alias,
          userId,
          teamId,
          role,
          models,
          budgets,
          rateLimits,
          blocked,
          expiresAt,
          previousHash,
          graceUntil,
          metadata,
          at,
          at);
    }
  }

  /** A mock-provider deployment at Nova Micro prices, 128k context, 10k output tokens. */
  public static final class DeploymentBuilder {
    private final String id;
    private final String modelName;
    private String provider = "mock";
    private String providerModelId = "us.amazon.nova-micro-v1:0";
    private Optional<String> region = Optional.empty();
    private Optional<URI> endpoint = Optional.empty();
    private Pricing pricing = NOVA_MICRO;
    private int contextWindow = 128_000;
    private int maxOutputTokens = 10_000;
    private Deployment.Source source = Deployment.Source.API;

    private DeploymentBuilder(String id, String modelName) {
      this.id = id;
      this.modelName = modelName;
    }

    public DeploymentBuilder provider(String v) {
      provider = v;
      return this;
    }

    public DeploymentBuilder providerModelId(String v) {
      providerModelId = v;
      return this;
    }

    public DeploymentBuilder region(String v) {
      region = Optional.of(v);
      return this;
    }

    public DeploymentBuilder endpoint(String v) {
      endpoint = Optional.of(URI.create(v));
      return this;
    }

    public DeploymentBuilder pricing(Pricing v) {
      pricing = v;
      return this;
    }

    public DeploymentBuilder limits(int contextWindow, int maxOutputTokens) {
      this.contextWindow = contextWindow;
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    public DeploymentBuilder source(Deployment.Source v) {
      source = v;
      return this;
    }

    public Deployment build() {
      return new Deployment(
          id,
          modelName,
          provider,
          providerModelId,
          region,
          endpoint,
          pricing,
          contextWindow,
          maxOutputTokens,
          source);
    }
  }

  /**
   * A successful request on model {@code model-cheap} that cost nothing, started and ended at T0.
   */
  public static final class SpendBuilder {
    private final String requestId;
    private final String keyId;
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private String model = "model-cheap";
    private Optional<String> deploymentId = Optional.empty();
    private Optional<TokenUsage> usage = Optional.empty();
    private Money cost = Money.ZERO;
    private SpendStatus status = SpendStatus.SUCCESS;
    private Optional<String> errorCode = Optional.empty();
    private Instant startedAt = T0;
    private Instant endedAt = T0;

    private SpendBuilder(String requestId, String keyId) {
      this.requestId = requestId;
      this.keyId = keyId;
    }

    public SpendBuilder user(String v) {
      userId = Optional.of(v);
      return this;
    }

    public SpendBuilder team(String v) {
      teamId = Optional.of(v);
      return this;
    }

    public SpendBuilder model(String v) {
      model = v;
      return this;
    }

    public SpendBuilder deployment(String v) {
      deploymentId = Optional.of(v);
      return this;
    }

    public SpendBuilder usage(long input, long output) {
      usage = Optional.of(TokenUsage.reported(input, output));
      return this;
    }

    public SpendBuilder cost(Money v) {
      cost = v;
      return this;
    }

    public SpendBuilder nanos(long v) {
      cost = Money.ofNanos(v);
      return this;
    }

    public SpendBuilder status(SpendStatus v) {
      status = v;
      return this;
    }

    public SpendBuilder errorCode(String v) {
      errorCode = Optional.of(v);
      return this;
    }

    public SpendBuilder started(Instant v) {
      startedAt = v;
      if (endedAt.isBefore(v)) {
        endedAt = v;
      }
      return this;
    }

    public SpendBuilder ended(Instant v) {
      endedAt = v;
      if (startedAt.isAfter(v)) {
        startedAt = v;
      }
      return this;
    }

    public SpendRecord build() {
      return new SpendRecord(
          requestId,
          keyId,
          userId,
          teamId,
          model,
          deploymentId,
          usage,
          cost,
          status,
          errorCode,
          Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()),
          startedAt,
          endedAt);
    }

    /** The same request as a reservation's pending record (no usage, no cost yet). */
    public SpendRecord pending() {
      return new SpendRecord(
          requestId,
          keyId,
          userId,
          teamId,
          model,
          deploymentId,
          Optional.empty(),
          Money.ZERO,
          SpendStatus.PENDING,
          Optional.empty(),
          0,
          startedAt,
          startedAt);
    }
  }
}
