package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.money.Price;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Models and their deployments, searched (name, id, provider model, region) and sorted here (a
 * bounded catalogue): prices per million tokens, limits, where they were defined, this month's
 * spend, and health from the gateway's own probe ({@code Gateway.probe}, cached by each provider),
 * run in parallel with the configured probe timeout. Thread-safe.
 */
final class ModelsPage extends UiPage {
  ModelsPage(Ui ui) {
    super(ui);
  }

  private static final List<ListParams.Sortable> SORTABLE =
      List.of(
          ListParams.Sortable.asc("model", "Model"),
          ListParams.Sortable.asc("id", "Deployment"),
          ListParams.Sortable.asc("provider", "Provider"),
          ListParams.Sortable.asc("provider_model", "Provider model id"),
          ListParams.Sortable.asc("region", "Region"),
          ListParams.Sortable.desc("input", "Input / 1M tokens"),
          ListParams.Sortable.desc("output", "Output / 1M tokens"),
          ListParams.Sortable.desc("context", "Context"),
          ListParams.Sortable.desc("max_output", "Max output"),
          ListParams.Sortable.asc("source", "Defined in"),
          ListParams.Sortable.asc("health", "Health"),
          ListParams.Sortable.desc("requests", "Requests (month)"),
          ListParams.Sortable.desc("spend", "Spend (month)"));

  /** Each sortable column's value; the catalogue is read whole and sorted here. */
  private static final Map<String, Function<ModelsView.Row, Comparable<?>>> VALUES =
      Map.ofEntries(
          Map.entry("model", ModelsView.Row::model),
          Map.entry("id", ModelsView.Row::id),
          Map.entry("provider", ModelsView.Row::provider),
          Map.entry("provider_model", ModelsView.Row::providerModelId),
          Map.entry("region", r -> r.region().equals("-") ? null : r.region()),
          Map.entry("input", ModelsView.Row::inputNanos),
          Map.entry("output", ModelsView.Row::outputNanos),
          Map.entry("context", ModelsView.Row::contextWindow),
          Map.entry("max_output", ModelsView.Row::maxOutput),
          Map.entry("source", ModelsView.Row::source),
          Map.entry("health", ModelsView.Row::health),
          Map.entry("requests", ModelsView.Row::monthRequests),
          Map.entry("spend", ModelsView.Row::monthNanos));

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    ListParams list = ListParams.of(ctx, "/ui/models", SORTABLE, "model", List.of());
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.MODEL, BudgetWindow.MONTHLY);
    List<Deployment> deployments = new ArrayList<>();
    for (LogicalModel m : ui.admin.models(ui.actor(session))) {
      m.deployments().stream()
          .filter(
              d ->
                  list.matches(d.modelName(), d.id(), d.providerModelId(), d.region().orElse(null)))
          .forEach(deployments::add);
    }
    List<HealthStatus> health = probe(deployments);
    List<ModelsView.Row> rows = new ArrayList<>();
    for (int i = 0; i < deployments.size(); i++) {
      rows.add(row(deployments.get(i), health.get(i), month));
    }
    int healthy =
        (int) health.stream().filter(h -> h.state() == HealthStatus.State.HEALTHY).count();
    // After a refused add, the form shows what was typed.
    ModelForm form =
        ctx.method() == HandlerType.POST
            ? ModelForm.typed(ctx, Forms.text(ctx, "id").orElse(""))
            : ModelForm.empty();
    ui.templates.html(
        ctx,
        status,
        "models",
        new ModelsView(
            list.sorted(rows, VALUES, ModelsView.Row::id),
            healthy,
            rows.size(),
            list,
            list.columns(new ArrayList<>(SORTABLE)),
            form),
        Layout.of("models", "Models", session, notice, error));
  }

  private ModelsView.Row row(Deployment d, HealthStatus h, Map<String, SpendTotal> month) {
    Optional<SpendTotal> spend = Optional.ofNullable(month.get(d.modelName()));
    return new ModelsView.Row(
        d.modelName(),
        d.id(),
        d.provider(),
        d.providerModelId(),
        d.region().orElse("-"),
        price(d.pricing().input()),
        price(d.pricing().output()),
        d.pricing().input().nanosPerMillionTokens(),
        d.pricing().output().nanosPerMillionTokens(),
        d.contextWindow(),
        d.maxOutputTokens(),
        d.source().name().toLowerCase(Locale.ROOT),
        h.state().name().toLowerCase(Locale.ROOT),
        "health-" + h.state().name().toLowerCase(Locale.ROOT),
        h.detail(),
        h.latency().toMillis(),
        spend.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
        spend.map(s -> s.cost().nanos()).orElse(0L),
        spend.map(SpendTotal::requests).orElse(0L));
  }

  private static String price(Price p) {
    return Fmt.usd(Money.ofNanos(p.nanosPerMillionTokens()));
  }

  private List<HealthStatus> probe(List<Deployment> deployments) {
    List<HealthStatus> out = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HealthStatus>> futures =
          deployments.stream().map(d -> pool.submit(() -> ui.gateway.probe(d))).toList();
      long deadline = System.nanoTime() + ui.probeTimeout.toNanos();
      for (Future<HealthStatus> f : futures) {
        out.add(await(f, deadline));
      }
      pool.shutdownNow();
    }
    return out;
  }

  private HealthStatus await(Future<HealthStatus> f, long deadline) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new HealthStatus(
          HealthStatus.State.UNHEALTHY, "probe timed out", ui.probeTimeout, ui.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HealthStatus(HealthStatus.State.UNHEALTHY, "interrupted", Duration.ZERO, ui.now());
    } catch (java.util.concurrent.ExecutionException e) {
      return new HealthStatus(
          HealthStatus.State.UNHEALTHY, "probe failed", Duration.ZERO, ui.now());
    }
  }
}
