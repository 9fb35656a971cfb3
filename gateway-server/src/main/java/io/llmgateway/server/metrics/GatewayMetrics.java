package io.llmgateway.server.metrics;

import io.llmgateway.core.GatewayEvents;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.UnknownModelException;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.server.http.LogSafe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus metrics of the server and of the core (through {@link GatewayEvents}): HTTP requests
 * and latency, tokens, cost, budget and rate refusals, upstream errors, settled requests, streams
 * and requests in flight, JVM. Also writes the one spend log line per settled request (request id,
 * key id, team, model, tokens, cost, status, latency; never a prompt or a key).
 *
 * <p>Label values are bounded: model names only from the catalog ({@code unknown} otherwise),
 * deployment ids from configuration, team ids (at most {@link #MAX_TEAM_LABELS}); never a user or
 * key id. Thread-safe.
 */
public final class GatewayMetrics implements GatewayEvents {
  private static final Logger spendLog = LoggerFactory.getLogger("io.llmgateway.spend");

  /**
   * The upstream failure types, registered at zero so alerts and dashboards see them before the
   * first failure: the Bedrock adapter's {@link ProviderUnavailableException.Kind}s (throttled,
   * unavailable, timeout, bad_response), {@code rejected} ({@link ProviderRejectedException}:
   * Bedrock refused our configuration or the request) and {@code other}.
   */
  static final List<String> UPSTREAM_FAILURE_TYPES =
      List.of("throttled", "unavailable", "timeout", "bad_response", "rejected", "other");

  /** Distinct teams labelled on the per-team counters; later ones count as {@code other}. */
  static final int MAX_TEAM_LABELS = 500;

  private final PrometheusMeterRegistry registry;
  private final Set<String> teams = ConcurrentHashMap.newKeySet();
  private volatile TeamBudgetGauges teamBudgets;

  public GatewayMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (String type : UPSTREAM_FAILURE_TYPES) {
      upstreamFailures(type);
    }
    for (BudgetWindow w : BudgetWindow.values()) {
      for (BudgetScope.Kind scope : BudgetScope.Kind.values()) {
        budgetRefusals(w.label(), scope.label());
      }
    }
  }

  /**
   * Per-team budget gauges read from {@code admin} (a cached, bounded read: {@link
   * TeamBudgetGauges}), refreshed by the scrape that finds them stale.
   */
  public void teamBudgets(AdminService admin, Clock clock, ZoneId zone) {
    teamBudgets = new TeamBudgetGauges(admin, clock, zone, registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    TeamBudgetGauges gauges = teamBudgets;
    if (gauges != null) {
      gauges.refreshIfStale();
    }
    return registry.scrape();
  }

  /** Registers a gauge read on every scrape (requests in flight, pool connections ...). */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** Records one HTTP exchange. {@code route} is the matched route template, never the raw path. */
  public void httpRequest(String method, String route, int status, long nanos) {
    Timer.builder("gateway.http.requests")
        .description("HTTP requests by route and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(LatencyBuckets.HTTP)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  @Override
  public void refused(String model, GatewayException error) {
    String modelTag = error instanceof UnknownModelException ? "unknown" : model;
    Counter.builder("gateway.requests.refused")
        .description("Requests refused before any upstream call")
        .tag("model", modelTag)
        .tag("code", error.code())
        .register(registry)
        .increment();
    if (error instanceof BudgetExceededException b) {
      budgetRefusals(b.window().label(), b.scope().kind().label()).increment();
    }
  }

  /** Every window and scope is registered at zero at start, so dashboards see them at once. */
  private Counter budgetRefusals(String window, String scope) {
    return Counter.builder("gateway.budget.refusals")
        .description("Requests refused because a budget window had no room")
        .tag("window", window)
        .tag("scope", scope)
        .register(registry);
  }

  @Override
  public void upstreamFailed(String deploymentId, GatewayException error) {
    Counter.builder("gateway.upstream.errors")
        .description("Failed upstream attempts by deployment and error code")
        .tag("deployment", deploymentId)
        .tag("code", error.code())
        .register(registry)
        .increment();
    upstreamFailures(failureType(error)).increment();
  }

  private Counter upstreamFailures(String type) {
    return Counter.builder("gateway.upstream.failures")
        .description("Failed upstream attempts by type (every type present from the start)")
        .tag("type", type)
        .register(registry);
  }

  static String failureType(GatewayException error) {
    return switch (error) {
      case ProviderUnavailableException p -> p.kind().name().toLowerCase(Locale.ROOT);
      case ProviderRejectedException r -> "rejected";
      default -> "other";
    };
  }

  @Override
  public void settled(SpendRecord r) {
    String status = r.status().name().toLowerCase(java.util.Locale.ROOT);
    Counter.builder("gateway.requests.settled")
        .description("Settled chat requests by model and outcome")
        .tag("model", r.model())
        .tag("status", status)
        .register(registry)
        .increment();
    String team = teamLabel(r.teamId().orElse("none"));
    r.usage()
        .ifPresent(
            u -> {
              tokens(r.model(), "input", u.promptTokens());
              tokens(r.model(), "output", u.outputTokens());
              teamTokens(team, "input", u.promptTokens());
              teamTokens(team, "output", u.outputTokens());
            });
    Counter.builder("gateway.team.spend")
        .baseUnit("usd")
        .description("Charged cost in USD by team (none: keys without a team)")
        .tag("team", team)
        .register(registry)
        .increment(r.cost().nanos() / 1e9);
    // Metrics only: money itself never passes through floating point (the ledger holds nanos).
    Counter.builder("gateway.cost")
        .baseUnit("usd")
        .description("Charged cost in USD")
        .tag("model", r.model())
        .register(registry)
        .increment(r.cost().nanos() / 1e9);
    spendLog.info(
        "spend request={} key={} user={} team={} model={} deployment={} status={} in={} out={}"
            + " cost_usd={} latency_ms={}{}",
        LogSafe.text(r.requestId()),
        LogSafe.text(r.keyId()),
        LogSafe.text(r.userId().orElse("-")),
        LogSafe.text(r.teamId().orElse("-")),
        LogSafe.text(r.model()),
        LogSafe.text(r.deploymentId().orElse("-")),
        status,
        r.usage().map(u -> u.promptTokens()).orElse(0L),
        r.usage().map(u -> u.outputTokens()).orElse(0L),
        r.cost().toUsdString(),
        r.latencyMillis(),
        r.errorCode().map(c -> " error=" + c).orElse(""));
  }

  /** Team ids are bounded (teams are few and made by admins); past the cap, {@code other}. */
  private String teamLabel(String team) {
    if (teams.contains(team) || teams.size() < MAX_TEAM_LABELS && teams.add(team)) {
      return team;
    }
    return "other";
  }

  private void teamTokens(String team, String type, long n) {
    Counter.builder("gateway.team.tokens")
        .description("Tokens by team and direction")
        .tag("team", team)
        .tag("type", type)
        .register(registry)
        .increment(n);
  }

  private void tokens(String model, String type, long n) {
    Counter.builder("gateway.tokens")
        .description("Tokens by model and direction")
        .tag("model", model)
        .tag("type", type)
        .register(registry)
        .increment(n);
  }

  /** The request log's writer, as metrics: queued, dropped (queue full) and sampled out. */
  public void requestLogGauges(io.llmgateway.core.Gateway gateway) {
    gauge(
        "gateway.request.log.queued",
        "Refused requests waiting to be written to the request log",
        gateway::queuedRefusals);
    gauge(
        "gateway.request.log.dropped",
        "Refused requests not written: the request log's queue was full or its batch failed",
        gateway::droppedRefusals);
    gauge(
        "gateway.request.log.sampled.out",
        "Refused requests not written: their key or client address had its share of the minute",
        gateway::sampledOutRefusals);
  }
}
