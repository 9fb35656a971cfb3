package io.llmgateway.server.docs;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.server.http.Routes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /openapi.json} (the merged OpenAPI document) and Swagger UI at {@code /}, served from
 * the swagger-ui WebJar under {@code /webjars/}. Thread-safe.
 */
public final class DocsRoutes implements Routes {
  /** The swagger-ui WebJar version on the classpath; its files live under this path. */
  static final String SWAGGER_UI = "/webjars/swagger-ui/" + swaggerUiVersion();

  private final Supplier<byte[]> document;

  /** {@code document} is built lazily once, after every route group is known. */
  public DocsRoutes(Supplier<byte[]> document) {
    this.document = document;
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(document.get()));
    routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(page()));
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/operations.json");
  }

  private static byte[] page() {
    String html =
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>LLM Gateway API</title>
          <link rel="stylesheet" href="%1$s/swagger-ui.css">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="%1$s/swagger-ui-bundle.js"></script>
          <script>
            window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});
          </script>
        </body>
        </html>
        """
            .formatted(SWAGGER_UI);
    return html.getBytes(StandardCharsets.UTF_8);
  }

  private static String swaggerUiVersion() {
    try (var in =
        DocsRoutes.class.getResourceAsStream(
            "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in != null) {
        var props = new java.util.Properties();
        props.load(in);
        return props.getProperty("version");
      }
    } catch (java.io.IOException e) {
      // fall through to the managed version
    }
    return "5.32.6";
  }
}
