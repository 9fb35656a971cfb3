package io.llmgateway.server.docs;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.server.http.HttpProblem;
import io.llmgateway.server.http.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code GET /openapi.json} (the merged OpenAPI document) and Swagger UI at {@code /}, its two
 * files served from the swagger-ui WebJar under {@code /webjars/} by name (an allow-list, read on
 * first use: Jetty's WebJar resource handler mounted the whole fat jar as a zip file system at
 * startup, a third of the main thread's startup CPU). The page carries the UI's security headers
 * (the same CSP: scripts from this origin only, so its start-up code is {@code /docs/init.js}, not
 * an inline script; no framing). Thread-safe.
 */
public final class DocsRoutes implements Routes {
  /** The swagger-ui WebJar version on the classpath; its files live under this path. */
  static final String SWAGGER_UI = "/webjars/swagger-ui/" + swaggerUiVersion();

  /** The UI's policy ({@code ui.SecurityHeaders}): a page anyone may open must not be framed. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none';"
          + " base-uri 'none'";

  private static final byte[] INIT =
      "window.ui = SwaggerUIBundle({url: \"/openapi.json\", dom_id: \"#swagger-ui\"});\n"
          .getBytes(StandardCharsets.UTF_8);

  /** The WebJar's files the page loads: name to content type (no request path reaches a lookup). */
  private static final Map<String, String> FILES =
      Map.of(
          "swagger-ui.css", "text/css; charset=utf-8",
          "swagger-ui-bundle.js", "text/javascript; charset=utf-8");

  private final Supplier<byte[]> document;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  /** {@code document} is built lazily once, after every route group is known. */
  public DocsRoutes(Supplier<byte[]> document) {
    this.document = document;
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(document.get()));
    routes.get(
        "/",
        ctx -> {
          secure(ctx);
          ctx.contentType("text/html; charset=utf-8").result(page());
        });
    routes.get(
        "/docs/init.js",
        ctx -> {
          secure(ctx);
          ctx.contentType("text/javascript; charset=utf-8").result(INIT);
        });
    routes.get(SWAGGER_UI + "/{file}", this::webjar);
  }

  private void webjar(Context ctx) {
    String name = ctx.pathParam("file");
    String type = FILES.get(name);
    if (type == null) {
      throw HttpProblem.notFound("no such file");
    }
    byte[] body = files.computeIfAbsent(name, DocsRoutes::load);
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(type).result(body);
  }

  private static byte[] load(String name) {
    String resource = "META-INF/resources" + SWAGGER_UI + "/" + name;
    try (InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void secure(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
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
          <script src="/docs/init.js"></script>
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
