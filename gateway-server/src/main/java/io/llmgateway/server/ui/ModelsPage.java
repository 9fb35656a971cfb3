package io.llmgateway.server.ui;

import io.javalin.http.Context;
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

/**
 * Models and their deployments: prices per million tokens, limits, where they were defined, this
 * month's spend, and health from the gateway's own probe ({@code Gateway.probe}, cached by each
 * provider), run in parallel with the configured probe timeout. Thread-safe.
 */
final class ModelsPage extends UiPage {
  ModelsPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Map<String, SpendTotal> month = ui.totalsSince(session, SpendGroup.MODEL, BudgetWindow.MONTHLY);
    List<Deployment> deployments = new ArrayList<>();
    for (LogicalModel m : ui.admin.models(ui.actor(session))) {
      deployments.addAll(m.deployments());
    }
    List<HealthStatus> health = probe(deployments);
    List<ModelsView.Row> rows = new ArrayList<>();
    for (int i = 0; i < deployments.size(); i++) {
      rows.add(row(deployments.get(i), health.get(i), month));
    }
    int healthy =
        (int) health.stream().filter(h -> h.state() == HealthStatus.State.HEALTHY).count();
    ui.templates.html(
        ctx,
        status,
        "models",
        new ModelsView(rows, healthy, rows.size()),
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
        d.contextWindow(),
        d.maxOutputTokens(),
        d.source().name().toLowerCase(Locale.ROOT),
        h.state().name().toLowerCase(Locale.ROOT),
        "health-" + h.state().name().toLowerCase(Locale.ROOT),
        h.detail(),
        h.latency().toMillis(),
        spend.map(s -> Fmt.usd(s.cost())).orElse("$0.00"),
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
