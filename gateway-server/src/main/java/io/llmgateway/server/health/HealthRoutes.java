package io.llmgateway.server.health;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.Routes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * LiteLLM's health routes. {@code /health/liveliness} (and {@code /health/liveness}): the process
 * answers. {@code /health/readiness}: the database is reachable with migrations applied and the
 * server is not draining (503 otherwise, so a load balancer stops sending traffic). {@code
 * /health}: master key or proxy admin only; probes every deployment through its provider, in
 * parallel, and reports healthy and unhealthy endpoints without any configuration secret.
 * Thread-safe.
 */
public final class HealthRoutes implements Routes {
  private final ServerServices s;

  public HealthRoutes(ServerServices services) {
    this.s = services;
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.get("/health/liveliness", HealthRoutes::alive);
    routes.get("/health/liveness", HealthRoutes::alive);
    routes.get("/health/readiness", this::readiness);
    routes.get("/health", this::health);
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/operations.json");
  }

  private static void alive(Context ctx) {
    ctx.contentType("application/json").result("\"I'm alive!\"");
  }

  private void readiness(Context ctx) {
    boolean draining = s.inFlight().draining();
    boolean db;
    try {
      db = s.readiness().isReady();
    } catch (RuntimeException e) {
      db = false;
    }
    boolean ready = db && !draining;
    boolean dbOk = db;
    ctx.status(ready ? 200 : 503)
        .contentType("application/json")
        .result(
            s.json()
                .write(
                    g -> {
                      g.writeStartObject();
                      g.writeStringField("status", ready ? "healthy" : "unhealthy");
                      g.writeStringField("db", dbOk ? "connected" : "unavailable");
                      g.writeBooleanField("draining", draining);
                      g.writeEndObject();
                    }));
  }

  private void health(Context ctx) throws Exception {
    s.auth().requireAdmin(ctx);
    List<Deployment> deployments = new ArrayList<>();
    for (LogicalModel m : s.gateway().stores().catalog().models()) {
      deployments.addAll(m.deployments());
    }
    Duration timeout = s.config().timings().probeTimeout();
    List<HealthStatus> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HealthStatus>> futures = new ArrayList<>();
      for (Deployment d : deployments) {
        futures.add(pool.submit(() -> s.gateway().probe(d)));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Future<HealthStatus> f : futures) {
        results.add(await(f, deadline));
      }
      pool.shutdownNow();
    }
    ctx.contentType("application/json")
        .result(
            s.json()
                .write(
                    g -> {
                      g.writeStartObject();
                      int healthy = 0;
                      g.writeArrayFieldStart("healthy_endpoints");
                      for (int i = 0; i < deployments.size(); i++) {
                        if (results.get(i).state() != HealthStatus.State.UNHEALTHY) {
                          endpoint(g, deployments.get(i), results.get(i));
                          healthy++;
                        }
                      }
                      g.writeEndArray();
                      g.writeArrayFieldStart("unhealthy_endpoints");
                      for (int i = 0; i < deployments.size(); i++) {
                        if (results.get(i).state() == HealthStatus.State.UNHEALTHY) {
                          endpoint(g, deployments.get(i), results.get(i));
                        }
                      }
                      g.writeEndArray();
                      g.writeNumberField("healthy_count", healthy);
                      g.writeNumberField("unhealthy_count", deployments.size() - healthy);
                      g.writeEndObject();
                    }));
  }

  private HealthStatus await(Future<HealthStatus> f, long deadline) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new HealthStatus(
          HealthStatus.State.UNHEALTHY, "probe timed out", Duration.ZERO, s.clock().instant());
    } catch (Exception e) {
      return new HealthStatus(
          HealthStatus.State.UNHEALTHY, "probe failed", Duration.ZERO, s.clock().instant());
    }
  }

  private static void endpoint(JsonGenerator g, Deployment d, HealthStatus h) throws IOException {
    g.writeStartObject();
    g.writeStringField("model", d.modelName());
    g.writeStringField("deployment_id", d.id());
    g.writeStringField("provider", d.provider());
    g.writeStringField("provider_model_id", d.providerModelId());
    g.writeStringField("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
    g.writeStringField("detail", h.detail());
    g.writeNumberField("latency_ms", h.latency().toMillis());
    g.writeStringField("checked_at", h.checkedAt().toString());
    g.writeEndObject();
  }
}
