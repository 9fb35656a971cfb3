package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.session.UiSession;
import java.net.URI;
import java.util.Locale;

/**
 * CSRF defences for every state-changing UI request, both required (OWASP CSRF cheat sheet):
 *
 * <ol>
 *   <li>the request's {@code Origin} (or, without one, its {@code Referer}) names this host: a form
 *       on another site cannot pass, and a request with neither header is refused;
 *   <li>the form field {@code _csrf} (or header {@code X-CSRF-Token}) equals the session's
 *       synchronizer token, compared in constant time. The sign-in form, which has no session yet,
 *       uses a double-submit nonce in a {@code __Host-} cookie instead.
 * </ol>
 *
 * Stateless and thread-safe.
 */
final class Csrf {
  static final String FIELD = "_csrf";
  static final String HEADER = "X-CSRF-Token";

  private Csrf() {}

  /** True if the request comes from a page of this host. */
  static boolean sameOrigin(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || host.isBlank()) {
      return false;
    }
    String origin = ctx.header("Origin");
    String source = origin != null ? origin : ctx.header("Referer");
    if (source == null || source.isBlank() || source.equals("null")) {
      return false;
    }
    try {
      URI u = URI.create(source.trim());
      if (u.getHost() == null) {
        return false;
      }
      String authority = u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
      return authority.toLowerCase(Locale.ROOT).equals(withoutDefaultPort(host, u.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** True if the request carries the session's token. */
  static boolean tokenMatches(Context ctx, UiSession session) {
    return Secrets.equal(submitted(ctx), session.csrfToken());
  }

  static String submitted(Context ctx) {
    String header = ctx.header(HEADER);
    return header != null ? header : ctx.formParam(FIELD);
  }

  private static String withoutDefaultPort(String host, String scheme) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (("https".equals(scheme) && h.endsWith(":443"))
        || ("http".equals(scheme) && h.endsWith(":80"))) {
      return h.substring(0, h.lastIndexOf(':'));
    }
    return h;
  }
}
