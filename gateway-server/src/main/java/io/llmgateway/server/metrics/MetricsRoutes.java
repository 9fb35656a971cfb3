package io.llmgateway.server.metrics;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.server.http.Routes;
import java.util.List;

/** {@code GET /metrics}: Prometheus text format. Public, like LiteLLM's; labels hold no ids. */
public final class MetricsRoutes implements Routes {
  private final GatewayMetrics metrics;

  public MetricsRoutes(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/operations.json");
  }
}
