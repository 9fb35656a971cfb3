package io.llmgateway.server.ui;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the Mustache templates in {@code resources/ui/templates}. {@code {{x}}} HTML-escapes
 * (mustache.java's default) and no template uses the unescaped {@code {{{x}}}} form, so data from
 * the database (team names, aliases, audit snapshots) can never become markup. Templates are
 * compiled once and cached. Thread-safe.
 */
final class Templates {
  private final MustacheFactory factory = new DefaultMustacheFactory("ui/templates");
  private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

  /** Renders {@code name} with the scopes searched in order (page view first, then layout). */
  String render(String name, Object... scopes) {
    Mustache m = compiled.computeIfAbsent(name, n -> factory.compile(n + ".mustache"));
    StringWriter out = new StringWriter();
    m.execute(out, scopes);
    return out.toString();
  }

  void html(Context ctx, int status, String name, Object... scopes) {
    SecurityHeaders.noStore(ctx);
    // operators: a page answered 404 (an id the person may not see) keeps its HTML: the server's
    // 404 handler replaces only responses nobody has written ("no route", JSON).
    if (status == 404) {
      ctx.attribute(io.llmgateway.server.http.RequestAttributes.ERROR_CODE, "not_found");
    }
    ctx.status(status).contentType("text/html; charset=utf-8").result(render(name, scopes));
  }
}
