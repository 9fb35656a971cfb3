package io.llmgateway.core;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.Admission;
import io.llmgateway.core.internal.BudgetLeases;
import io.llmgateway.core.internal.ChargePolicy;
import io.llmgateway.core.internal.RefusalWriter;
import io.llmgateway.core.internal.Settler;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The one entry point an application uses: authenticate a key, then chat (whole or streamed) under
 * the key's model access, rate limits and budgets. Every request is admitted (worst-case cost
 * reserved), called, and settled (actual cost charged, spend written), whatever happens.
 *
 * <p>Build it from storage ports, providers and configuration with {@link #builder()}. Thread-safe:
 * one instance serves all requests. {@link #close()} it before closing the stores: with {@link
 * GatewayConfig.Settlement#DEFERRED} settlement that writes what is still queued.
 *
 * <p>The facade wires the parts and owns the background work ({@code BackgroundWork}: settlement
 * writer, budget leases, refusal writer, sweeper; started here, stopped by {@link #close()}). Each
 * operation is a package-private class of its own ({@code ChatOperation}, {@code StreamOperation},
 * {@code EmbedOperation}, {@code TokenCounting}), routed by {@code Routing} and failed over by
 * {@code Failover}.
 */
public final class Gateway implements AutoCloseable {
  /** How long refused requests are kept unless configured otherwise. */
  public static final Duration DEFAULT_REQUEST_LOG_RETENTION = Duration.ofDays(30);

  private final Stores stores;
  private final GatewayConfig config;
  private final Clock clock;
  private final BackgroundWork background;
  private final AdminService admin;
  private final Authentication authentication;
  private final Routing routing;
  private final ChatOperation chat;
  private final StreamOperation stream;
  private final EmbedOperation embed;
  private final TokenCounting counting;

  private Gateway(Builder b) {
    this.stores = Objects.requireNonNull(b.stores, "stores");
    this.config = b.config;
    // A request must never outlive its reservation: the sweeper would charge and free it while
    // it still runs (and may still be billed).
    b.providers
        .values()
        .forEach(
            p ->
                p.maxCallDuration()
                    .ifPresent(call -> config.requireRequestsEndInTime(p.name(), call)));
    this.clock = b.clock;
    // Started with the gateway and stopped by close(), so an embedder cannot forget them.
    this.background =
        new BackgroundWork(stores, config, b.refusalLog, b.requestLogRetention, clock);
    Admission admission =
        new Admission(
            stores.ledger(), stores.rateLimiter(), background.writer, config, background.leases);
    Settler settler = new Settler(stores.rateLimiter(), b.events, clock, b.tracing);
    // Reports read on this instance include the requests it has answered (read your own writes),
    // and budget balances none of its idle lease slices on the scope read.
    this.admin =
        new AdminService(
            stores,
            b.refusalLog,
            clock,
            config.zone(),
            background::flushBeforeSpendRead,
            background::releaseBeforeBudgetRead,
            config.memberKeyLimit());
    this.authentication = new Authentication(stores, config.masterKeyHash(), clock);
    this.routing = new Routing(stores, b.providers, b.events);
    this.counting = new TokenCounting(routing);
    Failover failover = new Failover(settler, b.events, b.tracing, config.maxAttempts());
    this.chat =
        new ChatOperation(routing, admission, counting, failover, b.events, b.tracing, clock);
    this.stream = new StreamOperation(chat, settler, config.cancelDrain());
    this.embed =
        new EmbedOperation(routing, admission, failover, b.events, config.inputAllowance(), clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves a bearer token to a principal: the master key (compared as a hash, in constant time)
   * or an active virtual key.
   *
   * @throws AuthenticationException if the token is missing, unknown, blocked or expired
   */
  public Principal authenticate(String bearerToken) {
    return authentication.bearer(bearerToken);
  }

  /**
   * The principal of the key with id {@code keyId}, for a caller that already decided who may act
   * as it (the admin UI's playground, after {@code AdminService.playgroundKey}): the key with its
   * user and team, loaded as {@link io.llmgateway.core.identity.KeyStore#findPrincipal} loads them
   * (a key without a team draws on its user's), and refused exactly as {@link #authenticate}
   * refuses a blocked, expired or team-blocked key.
   *
   * @throws AuthenticationException if there is no such key, or it is blocked or expired
   */
  public Principal.Keyed keyPrincipal(String keyId) {
    return authentication.key(keyId);
  }

  /** Answers a request in one piece. */
  public ChatResponse chat(Principal principal, ChatRequest request) {
    return chat(principal, request, newRequestId());
  }

  /** Answers a request in one piece, under the caller's request id. */
  public ChatResponse chat(Principal principal, ChatRequest request, String requestId) {
    return chat(principal, request, requestId, AdmissionListener.NONE);
  }

  /**
   * Answers a request in one piece, under the caller's request id, telling {@code listener} what
   * admission granted (output cap, rate-limit status) before the upstream call.
   */
  public ChatResponse chat(
      Principal principal, ChatRequest request, String requestId, AdmissionListener listener) {
    return chat.complete(principal, request, requestId, listener);
  }

  /**
   * Starts a streamed answer. Upstream failures before the first chunk fail over to the next
   * deployment when the provider did not bill them; the returned stream settles the request when it
   * ends, fails or is closed. Always close it (try-with-resources): closing early drains the
   * upstream for its reported usage for at most {@link GatewayConfig#cancelDrain()}, then cancels
   * it; see docs/CORE.md for what a cancelled stream is charged.
   */
  public ChatStream chatStream(Principal principal, ChatRequest request, String requestId) {
    return chatStream(principal, request, requestId, AdmissionListener.NONE);
  }

  /**
   * Starts a streamed answer as {@link #chatStream(Principal, ChatRequest, String)} does, telling
   * {@code listener} what admission granted before the upstream call, so a caller can still send
   * headers that depend on it.
   */
  public ChatStream chatStream(
      Principal principal, ChatRequest request, String requestId, AdmissionListener listener) {
    return stream.start(principal, request, requestId, listener);
  }

  /**
   * Embeds every input of {@code request} under the same admission as a chat: key, model
   * allow-list, rate limits, and the worst case (every input byte a token, at the dearest input
   * price; no output) reserved on every budget before the call. Charged the tokens the provider
   * reports (output 0), as {@link ChargePolicy} says when it fails; failover as for chat.
   */
  public EmbeddingResponse embed(
      Principal principal, EmbeddingRequest request, String requestId, AdmissionListener listener) {
    return embed.embed(principal, request, requestId, listener);
  }

  /**
   * The input tokens {@code request} would be billed (Anthropic's {@code count_tokens}): authorized
   * like a call (key, model allow-list) but not admitted, because counting runs no model and costs
   * nothing: no reservation, no rate-limit permit, no spend row. The model's deployments are asked
   * in order; a 400 if none can count.
   */
  public long countTokens(Principal principal, ChatRequest request) {
    return counting.count(principal, request);
  }

  /** The logical models this principal may use, by name. */
  public List<LogicalModel> models(Principal principal) {
    return routing.models(principal);
  }

  /** Probes one deployment through its provider (results are cached by the provider). */
  public HealthStatus probe(Deployment deployment) {
    try {
      return routing.provider(deployment).probe(deployment);
    } catch (GatewayException e) {
      return new HealthStatus(
          HealthStatus.State.UNHEALTHY, e.getMessage(), Duration.ZERO, clock.instant());
    }
  }

  /**
   * Charges, at their full reserved amount, reservations whose instance never settled them (it
   * crashed), and at most every ten minutes deletes the records of reservations that ended more
   * than a day ago. The gateway does this by itself every {@link GatewayConfig#sweepInterval()};
   * call it to sweep now. Safe from any number of instances.
   *
   * @return how many reservations were charged
   */
  public int sweep() {
    return background.sweep();
  }

  /**
   * Puts a refused request on the request log's queue; never waits (see {@link RefusalWriter}:
   * sampled per key or client address and minute, dropped and counted when the queue is full). The
   * server calls it once a refusal has been answered.
   *
   * @return whether it was queued
   */
  public boolean recordRefusal(Refusal refusal) {
    return background.refusals.offer(refusal);
  }

  /** Refusals queued for the request log and not yet written. */
  public int queuedRefusals() {
    return background.refusals.queued();
  }

  /** Refusals not written because the queue was full or the database refused their batch. */
  public long droppedRefusals() {
    return background.refusals.dropped();
  }

  /** Refusals not written because their key or address had its share of the minute. */
  public long sampledOutRefusals() {
    return background.refusals.sampledOut();
  }

  /**
   * Waits until the spend of every request answered before this call is written (at once with
   * inline settlement), and gives back this instance's budget leases that no request holds. Reports
   * that must include a caller's own latest requests call this first.
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean flushSettlements(Duration timeout) {
    return background.flushSettlements(timeout);
  }

  /** Budget leases open for new requests on this instance (0 without leases). */
  public int openLeases() {
    return background.leases.map(BudgetLeases::open).orElse(0);
  }

  /** Settlements handed over and not yet written (always 0 with inline settlement). */
  public int queuedSettlements() {
    return background.writer.queued();
  }

  /**
   * Writes every deferred settlement still queued and stops the writer thread; settlements after
   * this are written inline. Does not close the stores or providers (their owner does).
   */
  @Override
  public void close() {
    background.close();
  }

  /** The admin operations (teams, users, keys, models, spend) on the same stores and clock. */
  public AdminService admin() {
    return admin;
  }

  public Stores stores() {
    return stores;
  }

  public GatewayConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /** A fresh request id: {@code chatcmpl-} plus a random UUID, as OpenAI's ids look. */
  public static String newRequestId() {
    return "chatcmpl-" + UUID.randomUUID();
  }

  /** Builds a {@link Gateway}. Not thread-safe. */
  public static final class Builder {
    private Stores stores;
    private final Map<String, ModelProvider> providers = new HashMap<>();
    private GatewayConfig config = GatewayConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private GatewayEvents events = GatewayEvents.NONE;
    private GatewayTracing tracing = GatewayTracing.NONE;
    private RefusalLog refusalLog = InMemoryAdapters.refusalLog();
    private Duration requestLogRetention = DEFAULT_REQUEST_LOG_RETENTION;

    private Builder() {}

    /**
     * Where refused requests are kept (default: in memory, bounded) and for how long the sweeper
     * keeps them (default {@link #DEFAULT_REQUEST_LOG_RETENTION}).
     */
    public Builder refusalLog(RefusalLog value, Duration retention) {
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("request log retention must be positive");
      }
      refusalLog = Objects.requireNonNull(value);
      requestLogRetention = retention;
      return this;
    }

    public Builder stores(Stores value) {
      stores = value;
      return this;
    }

    /** Registers a provider under its {@link ModelProvider#name()}. */
    public Builder provider(ModelProvider value) {
      providers.put(value.name(), value);
      return this;
    }

    public Builder config(GatewayConfig value) {
      config = Objects.requireNonNull(value);
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    public Builder events(GatewayEvents value) {
      events = Objects.requireNonNull(value);
      return this;
    }

    /** Where request phases are reported for tracing (default: nowhere). */
    public Builder tracing(GatewayTracing value) {
      tracing = Objects.requireNonNull(value);
      return this;
    }

    public Gateway build() {
      return new Gateway(this);
    }
  }
}
