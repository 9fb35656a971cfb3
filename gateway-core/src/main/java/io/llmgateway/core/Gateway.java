package io.llmgateway.core;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ModelNotAllowedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.UnknownModelException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyStatus;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.internal.Admission;
import io.llmgateway.core.internal.Admitted;
import io.llmgateway.core.internal.BudgetLeases;
import io.llmgateway.core.internal.ChargePolicy;
import io.llmgateway.core.internal.EmbeddingInputBound;
import io.llmgateway.core.internal.ModelAccess;
import io.llmgateway.core.internal.RefusalWriter;
import io.llmgateway.core.internal.SettlementWriter;
import io.llmgateway.core.internal.Settler;
import io.llmgateway.core.internal.SettlingStream;
import io.llmgateway.core.internal.Sweeper;
import io.llmgateway.core.internal.Tracing;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.EmbeddingCall;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The one entry point an application uses: authenticate a key, then chat (whole or streamed) under
 * the key's model access, rate limits and budgets. Every request is admitted (worst-case cost
 * reserved), called, and settled (actual cost charged, spend written), whatever happens.
 *
 * <p>Build it from storage ports, providers and configuration with {@link #builder()}. Thread-safe:
 * one instance serves all requests. {@link #close()} it before closing the stores: with {@link
 * GatewayConfig.Settlement#DEFERRED} settlement that writes what is still queued.
 */
public final class Gateway implements AutoCloseable {
  private static final Duration SPEND_READ_FLUSH_TIMEOUT = Duration.ofSeconds(2);

  /** How long refused requests are kept unless configured otherwise. */
  public static final Duration DEFAULT_REQUEST_LOG_RETENTION = Duration.ofDays(30);

  private final Stores stores;
  private final Map<String, ModelProvider> providers;
  private final GatewayConfig config;
  private final Clock clock;
  private final GatewayEvents events;
  private final GatewayTracing tracing;
  private final Admission admission;
  private final SettlementWriter writer;
  private final Optional<BudgetLeases> leases;
  private final Settler settler;
  private final AdminService admin;
  private final Sweeper sweeper;
  private final RefusalWriter refusals;

  private Gateway(Builder b) {
    this.stores = Objects.requireNonNull(b.stores, "stores");
    this.providers = Map.copyOf(b.providers);
    this.config = b.config;
    // A request must never outlive its reservation: the sweeper would charge and free it while
    // it still runs (and may still be billed).
    providers
        .values()
        .forEach(
            p ->
                p.maxCallDuration()
                    .ifPresent(call -> config.requireRequestsEndInTime(p.name(), call)));
    this.clock = b.clock;
    this.events = b.events;
    this.tracing = b.tracing;
    this.writer =
        config.settlement() == GatewayConfig.Settlement.DEFERRED
            ? SettlementWriter.deferred(stores.ledger())
            : SettlementWriter.inline(stores.ledger());
    this.leases =
        config.leases()
            ? Optional.of(
                new BudgetLeases(
                    stores.ledger(),
                    stores.invalidations(),
                    writer,
                    config.leaseWindow(),
                    config.reservationTtl(),
                    clock))
            : Optional.empty();
    this.admission = new Admission(stores.ledger(), stores.rateLimiter(), writer, config, leases);
    this.settler = new Settler(stores.rateLimiter(), events, clock, tracing);
    // Refused requests go to the request log from a thread of their own, never from the request's.
    this.refusals = new RefusalWriter(b.refusalLog);
    // Reports read on this instance include the requests it has answered (read your own writes),
    // and budget balances none of its idle lease slices on the scope read; a slow database makes
    // a report wait at most this long.
    this.admin =
        new AdminService(
            stores,
            b.refusalLog,
            clock,
            config.zone(),
            () -> {
              writer.flush(SPEND_READ_FLUSH_TIMEOUT);
              refusals.flush(SPEND_READ_FLUSH_TIMEOUT);
            },
            scope -> {
              // Giving leases back flushes the writer itself.
              boolean released =
                  leases.map(l -> l.releaseIdleOn(k -> k.scope().equals(scope))).orElse(false);
              if (!released) {
                writer.flush(SPEND_READ_FLUSH_TIMEOUT);
              }
            },
            config.memberKeyLimit());
    // Started with the gateway, so an embedder cannot forget it (the guarantee's crash path).
    this.sweeper =
        new Sweeper(
            stores.ledger(), b.refusalLog, b.requestLogRetention, clock, config.sweepInterval());
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
    if (bearerToken == null || bearerToken.isBlank()) {
      throw new AuthenticationException(
          AuthenticationException.Reason.MISSING,
          "no API key given: send 'Authorization: Bearer <key>'");
    }
    KeyHash hash = KeyHash.of(bearerToken.trim());
    if (config.masterKeyHash().map(m -> m.matches(hash)).orElse(false)) {
      return Principal.MASTER;
    }
    Instant now = clock.instant();
    Principal.Keyed p =
        stores
            .keys()
            .findPrincipal(hash, now)
            .orElseThrow(
                () ->
                    new AuthenticationException(
                        AuthenticationException.Reason.UNKNOWN, "invalid API key"));
    return active(p, now);
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
    VirtualKey key =
        stores
            .keys()
            .findById(keyId)
            .orElseThrow(
                () ->
                    new AuthenticationException(
                        AuthenticationException.Reason.UNKNOWN, "invalid API key"));
    Optional<User> user = key.userId().flatMap(stores.users()::findById);
    Optional<Team> team =
        key.teamId().or(() -> user.flatMap(User::teamId)).flatMap(stores.teams()::findById);
    return active(new Principal.Keyed(key, user, team), clock.instant());
  }

  /**
   * The one status check of a key credential, for {@link #authenticate} and {@link #keyPrincipal}.
   */
  private static Principal.Keyed active(Principal.Keyed p, Instant now) {
    KeyStatus status = p.key().statusAt(now);
    if (status == KeyStatus.BLOCKED || p.team().map(t -> t.blocked()).orElse(false)) {
      throw new AuthenticationException(
          AuthenticationException.Reason.BLOCKED, "this API key is blocked", Optional.of(p));
    }
    if (status == KeyStatus.EXPIRED) {
      throw new AuthenticationException(
          AuthenticationException.Reason.EXPIRED, "this API key has expired", Optional.of(p));
    }
    return p;
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
    Served<ChatResponse> served =
        call(
            principal,
            request,
            requestId,
            listener,
            (d, upstream) -> provider(d).complete(upstream));
    ChatResponse response = served.value();
    tracing.answered(response);
    settler.settle(
        served.admitted(),
        Optional.of(served.deployment()),
        new ChargePolicy.Outcome.Answered(Optional.of(response.usage())));
    return response;
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
    Served<ChatStream> served =
        call(
            principal, request, requestId, listener, (d, upstream) -> provider(d).stream(upstream));
    return new SettlingStream(
        served.value(),
        served.admitted(),
        served.deployment(),
        settler,
        config.cancelDrain(),
        served.upstream());
  }

  /** One attempt at one deployment. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(Deployment deployment, ProviderRequest upstream);
  }

  /** What the attempt that succeeded returned, for the caller to settle (or hand settling to). */
  private record Served<T>(
      Admitted admitted, Deployment deployment, T value, GatewayTracing.PhaseSpan upstream) {}

  /**
   * Authorizes and admits a request, then tries deployments in failover order. A failed attempt
   * moves on to the next one only if the provider certainly did not bill it ({@link
   * ChargePolicy#failsOver}); otherwise the request settles as {@link ChargePolicy} says and the
   * failure is rethrown.
   */
  private <T> Served<T> call(
      Principal principal,
      ChatRequest request,
      String requestId,
      AdmissionListener listener,
      Attempt<T> attempt) {
    Objects.requireNonNull(listener, "listener");
    tracing.request("chat", request);
    LogicalModel model = authorize(principal, request.model());
    GatewayTracing.PhaseSpan admitting = tracing.start(GatewayTracing.Phase.ADMISSION);
    Admitted admitted;
    try {
      admitted = admit(principal, requestId, model, request);
    } catch (RuntimeException e) {
      admitting.fail(Tracing.errorType(e));
      throw e;
    }
    Tracing.admitted(admitting, admitted);
    return serve(
        admitted,
        model,
        listener,
        (d, a) -> attempt.run(d, new ProviderRequest(requestId, d, request, a.outputCap())));
  }

  /**
   * Embeds every input of {@code request} under the same admission as a chat: key, model
   * allow-list, rate limits, and the worst case (every input byte a token, at the dearest input
   * price; no output) reserved on every budget before the call. Charged the tokens the provider
   * reports (output 0), as {@link ChargePolicy} says when it fails; failover as for chat.
   */
  public EmbeddingResponse embed(
      Principal principal, EmbeddingRequest request, String requestId, AdmissionListener listener) {
    Objects.requireNonNull(listener, "listener");
    LogicalModel model = authorize(principal, request.model());
    // Every deployment failover may reach must take the request, before any money is held.
    for (Deployment d : model.deployments()) {
      try {
        provider(d).checkEmbedding(d, request);
      } catch (GatewayException e) {
        events.refused(model.name(), e);
        throw e;
      }
    }
    long inputBound = EmbeddingInputBound.of(request, config.inputAllowance());
    Admitted admitted;
    try {
      admitted = admission.admitInputOnly(principal, requestId, model, inputBound, clock.instant());
    } catch (GatewayException e) {
      events.refused(model.name(), e);
      throw e;
    }
    Served<EmbeddingResponse> served =
        serve(
            admitted,
            model,
            listener,
            (d, a) -> provider(d).embed(new EmbeddingCall(requestId, d, request)));
    settler.settle(
        served.admitted(),
        Optional.of(served.deployment()),
        new ChargePolicy.Outcome.Answered(Optional.of(served.value().usage())));
    return served.value();
  }

  /** One attempt of an admitted request at one deployment. */
  @FunctionalInterface
  private interface AdmittedAttempt<T> {
    T run(Deployment deployment, Admitted admitted);
  }

  /**
   * Tells {@code listener} what admission granted, then tries deployments in failover order, as
   * {@link #call} describes; the one loop every operation (chat, stream, embeddings) fails over in.
   */
  private <T> Served<T> serve(
      Admitted admitted,
      LogicalModel model,
      AdmissionListener listener,
      AdmittedAttempt<T> attempt) {
    Objects.requireNonNull(listener, "listener");
    try {
      listener.admitted(admitted.grant());
    } catch (RuntimeException e) {
      // Nothing was sent upstream: return the reservation and the permit, charge nothing.
      settler.settle(
          admitted, Optional.empty(), new ChargePolicy.Outcome.NotCalled("internal_error"));
      throw e;
    }
    List<Deployment> order = attemptOrder(model);
    for (int i = 0; ; i++) {
      Deployment d = order.get(i);
      GatewayTracing.PhaseSpan upstream = tracing.upstream(d, i + 1, admitted.outputCap());
      try {
        T value = attempt.run(d, admitted);
        // A stream's upstream span ends with the stream (SettlingStream), any other answer's now.
        if (!(value instanceof ChatStream)) {
          upstream.end();
        }
        return new Served<>(admitted, d, value, upstream);
      } catch (RuntimeException e) {
        upstream.fail(Tracing.errorType(e));
        if (e instanceof GatewayException g) {
          events.upstreamFailed(d.id(), g);
        }
        if (i + 1 < order.size() && ChargePolicy.failsOver(e)) {
          continue;
        }
        settler.settle(admitted, Optional.of(d), ChargePolicy.failed(e));
        throw e;
      }
    }
  }

  /**
   * The input tokens {@code request} would be billed (Anthropic's {@code count_tokens}): authorized
   * like a call (key, model allow-list) but not admitted, because counting runs no model and costs
   * nothing: no reservation, no rate-limit permit, no spend row. The model's deployments are asked
   * in order; a 400 if none can count.
   */
  public long countTokens(Principal principal, ChatRequest request) {
    LogicalModel model = authorize(principal, request.model());
    for (Deployment d : model.deployments()) {
      java.util.OptionalLong n =
          provider(d).countTokens(new ProviderRequest(newRequestId(), d, request, 1));
      if (n.isPresent()) {
        return n.getAsLong();
      }
    }
    throw new io.llmgateway.core.error.InvalidRequestException(
        "token counting is not available for model '" + model.name() + "'", "model");
  }

  /** The logical models this principal may use, by name. */
  public List<LogicalModel> models(Principal principal) {
    return stores.catalog().models().stream()
        .filter(m -> ModelAccess.allows(principal, m.name()))
        .toList();
  }

  /** Probes one deployment through its provider (results are cached by the provider). */
  public HealthStatus probe(Deployment deployment) {
    try {
      return provider(deployment).probe(deployment);
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
    return sweeper.sweep();
  }

  /**
   * Puts a refused request on the request log's queue; never waits (see {@link RefusalWriter}:
   * sampled per key or client address and minute, dropped and counted when the queue is full). The
   * server calls it once a refusal has been answered.
   *
   * @return whether it was queued
   */
  public boolean recordRefusal(Refusal refusal) {
    return refusals.offer(refusal);
  }

  /** Refusals queued for the request log and not yet written. */
  public int queuedRefusals() {
    return refusals.queued();
  }

  /** Refusals not written because the queue was full or the database refused their batch. */
  public long droppedRefusals() {
    return refusals.dropped();
  }

  /** Refusals not written because their key or address had its share of the minute. */
  public long sampledOutRefusals() {
    return refusals.sampledOut();
  }

  /**
   * Waits until the spend of every request answered before this call is written (at once with
   * inline settlement), and gives back this instance's budget leases that no request holds. Reports
   * that must include a caller's own latest requests call this first.
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean flushSettlements(Duration timeout) {
    // Idle budget leases go back too, so budget reads after this show no slice held for nobody.
    leases.ifPresent(BudgetLeases::retireAll);
    // A retired lease still drawn on is released when its last draw is written; the flush waits
    // for that follow-up write too (SettlementWriter).
    return writer.flush(timeout);
  }

  /** Budget leases open for new requests on this instance (0 without leases). */
  public int openLeases() {
    return leases.map(BudgetLeases::open).orElse(0);
  }

  /** Settlements handed over and not yet written (always 0 with inline settlement). */
  public int queuedSettlements() {
    return writer.queued();
  }

  /**
   * Writes every deferred settlement still queued and stops the writer thread; settlements after
   * this are written inline. Does not close the stores or providers (their owner does).
   */
  @Override
  public void close() {
    sweeper.close();
    leases.ifPresent(BudgetLeases::close);
    writer.close();
    refusals.close();
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

  private LogicalModel authorize(Principal principal, String modelName) {
    LogicalModel model = stores.catalog().model(modelName).orElse(null);
    if (model == null) {
      UnknownModelException e = new UnknownModelException(modelName);
      events.refused(modelName, e);
      throw e;
    }
    if (!ModelAccess.allows(principal, modelName)) {
      ModelNotAllowedException e =
          new ModelNotAllowedException(
              modelName, ModelAccess.allowedNames(principal, stores.catalog().models()));
      events.refused(modelName, e);
      throw e;
    }
    return model;
  }

  private Admitted admit(
      Principal principal, String requestId, LogicalModel model, ChatRequest request) {
    try {
      return admission.admit(
          principal, requestId, model, request, clock.instant(), () -> exactInput(model, request));
    } catch (GatewayException e) {
      events.refused(model.name(), e);
      throw e;
    }
  }

  /**
   * The request's input tokens as every deployment of {@code model} would bill them (the largest
   * count: any of them may serve it), or empty if one of them cannot count (then only the bytes
   * bound the input).
   */
  private java.util.OptionalLong exactInput(LogicalModel model, ChatRequest request) {
    long most = 0;
    for (Deployment d : model.deployments()) {
      java.util.OptionalLong n =
          provider(d).countTokens(new ProviderRequest(newRequestId(), d, request, 1));
      if (n.isEmpty()) {
        return n;
      }
      most = Math.max(most, n.getAsLong());
    }
    return java.util.OptionalLong.of(most);
  }

  /** Deployments in failover order, repeated if there are fewer than {@code maxAttempts}. */
  private List<Deployment> attemptOrder(LogicalModel model) {
    List<Deployment> ds = model.deployments();
    return java.util.stream.IntStream.range(0, config.maxAttempts())
        .mapToObj(i -> ds.get(i % ds.size()))
        .toList();
  }

  private ModelProvider provider(Deployment d) {
    ModelProvider p = providers.get(d.provider());
    if (p == null) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.UNAVAILABLE,
          Billing.NOT_BILLED,
          false,
          "no provider '" + d.provider() + "' is configured for deployment " + d.id());
    }
    return p;
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
