package io.llmgateway.server.http;

import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;

/**
 * One group of HTTP routes (OpenAI API, health, metrics, admin API, UI ...). Each group is its own
 * class; {@code io.llmgateway.server.ServerRoutes} is the one place that lists them. A group may
 * ship OpenAPI fragments (classpath resources with {@code paths} and {@code components}) that are
 * merged into {@code /openapi.json}.
 */
public interface Routes {

  /** Registers this group's handlers. Called once, while the server is configured. */
  void register(JavalinDefaultRoutingApi routes);

  /** Classpath resources (e.g. {@code /openapi/openai.json}) documenting this group's routes. */
  default List<String> openApiFragments() {
    return List.of();
  }
}
