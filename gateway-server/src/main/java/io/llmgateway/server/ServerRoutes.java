package io.llmgateway.server;

import io.llmgateway.server.admin.AdminRoutes;
import io.llmgateway.server.anthropic.AnthropicRoutes;
import io.llmgateway.server.health.HealthRoutes;
import io.llmgateway.server.http.Routes;
import io.llmgateway.server.metrics.MetricsRoutes;
import io.llmgateway.server.openai.EmbeddingRoutes;
import io.llmgateway.server.openai.OpenAiRoutes;
import io.llmgateway.server.openai.ResponsesRoutes;
import java.util.List;

/**
 * The one place that lists the server's route groups. Add a group here (admin API, UI ...); its
 * OpenAPI fragments are merged into {@code /openapi.json} automatically. The docs group ({@code /}
 * and {@code /openapi.json}) is added by {@link GatewayServer} last.
 */
public final class ServerRoutes {
  private ServerRoutes() {}

  public static List<Routes> all(ServerServices services) {
    return List.of(
        new OpenAiRoutes(services),
        new ResponsesRoutes(services),
        new AnthropicRoutes(services),
        new EmbeddingRoutes(services),
        new HealthRoutes(services),
        new MetricsRoutes(services.metrics(), services.config().http().metricsToken()),
        new AdminRoutes(services));
  }
}
