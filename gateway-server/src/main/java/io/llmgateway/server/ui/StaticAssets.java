package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.server.http.HttpProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's static files, from the classpath only and by an allow-list of names (no path from the
 * request ever reaches a resource lookup): our CSS and scripts, and uPlot from its WebJar. Served
 * from {@code /ui/static/} so they carry the UI's security headers. Thread-safe.
 */
final class StaticAssets {
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  private static final Map<String, String[]> FILES =
      Map.of(
          "app.css", new String[] {"ui/static/app.css", "text/css; charset=utf-8"},
          "charts.js", new String[] {"ui/static/charts.js", "text/javascript; charset=utf-8"},
          "app.js", new String[] {"ui/static/app.js", "text/javascript; charset=utf-8"},
          // usage
          "usage.js", new String[] {"ui/static/usage.js", "text/javascript; charset=utf-8"},
          "playground.js",
              new String[] {"ui/static/playground.js", "text/javascript; charset=utf-8"},
          "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"},
          "uPlot.iife.min.js",
              new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"});

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  void serve(Context ctx) {
    String name = ctx.pathParam("file");
    String[] file = FILES.get(name);
    if (file == null) {
      throw HttpProblem.notFound("no such file");
    }
    byte[] body = cache.computeIfAbsent(name, n -> load(file[0]));
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType(file[1]).result(body);
  }

  private static byte[] load(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing UI resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
