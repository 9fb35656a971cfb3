package io.llmgateway.server.metrics;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.http.HttpProblem;
import io.llmgateway.server.http.Routes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics}: Prometheus text format; labels hold no ids. Open (like LiteLLM's) unless
 * {@code GATEWAY_METRICS_TOKEN} is set, then only {@code Authorization: Bearer <token>} reads it
 * (compared in constant time); anything else is 401. Thread-safe.
 */
public final class MetricsRoutes implements Routes {
  private final GatewayMetrics metrics;
  private final Optional<byte[]> token;

  public MetricsRoutes(GatewayMetrics metrics, Optional<ServerConfig.Secret> token) {
    this.metrics = metrics;
    this.token = token.map(t -> t.value().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.get(
        "/metrics",
        ctx -> {
          authorize(ctx);
          ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
  }

  private void authorize(Context ctx) {
    if (token.isEmpty()) {
      return;
    }
    String auth = ctx.header("Authorization");
    byte[] given =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, token.get())) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
      throw new HttpProblem(
          401,
          "authentication_error",
          "invalid_metrics_token",
          "/metrics needs Authorization: Bearer <GATEWAY_METRICS_TOKEN>",
          null);
    }
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/operations.json");
  }
}
