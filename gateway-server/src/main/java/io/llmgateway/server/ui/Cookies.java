package io.llmgateway.server.ui;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/**
 * The UI's cookies: always {@code HttpOnly}, {@code SameSite=Strict} and {@code Path=/}; {@code
 * Secure} and {@code __Host-}-prefixed when the request came over TLS (or always / never, as
 * configured). The prefix makes the browser refuse the cookie unless it is Secure, host-only and
 * path {@code /}, so a sibling subdomain cannot plant one (cookie tossing). Thread-safe.
 */
final class Cookies {
  static final String SESSION = "gw-session";
  static final String LOGIN = "gw-login";
  // sso: the single sign-on flow's secret (state, nonce and PKCE verifier derive from it).
  static final String OIDC = "gw-oidc";

  private final UiSettings.CookieSecurity mode;

  Cookies(UiSettings.CookieSecurity mode) {
    this.mode = mode;
  }

  /** True when this request's cookies should be Secure. */
  boolean secure(Context ctx) {
    return switch (mode) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> {
        String proto = ctx.header("X-Forwarded-Proto");
        if (proto != null) {
          // An ALB appends; the first value is what the client used.
          yield proto.split(",")[0].trim().toLowerCase(Locale.ROOT).equals("https");
        }
        yield ctx.scheme().equals("https");
      }
    };
  }

  private String name(Context ctx, String base) {
    return secure(ctx) ? "__Host-" + base : base;
  }

  /** The cookie's value under either name (the prefixed one first). */
  Optional<String> read(Context ctx, String base) {
    String v = ctx.cookie("__Host-" + base);
    if (v == null || v.isBlank()) {
      v = ctx.cookie(base);
    }
    return v == null || v.isBlank() || v.length() > 128 ? Optional.empty() : Optional.of(v);
  }

  /** A browser-session cookie (no Max-Age): gone when the browser closes. */
  void set(Context ctx, String base, String value, long maxAgeSeconds) {
    set(ctx, base, value, maxAgeSeconds, "Strict");
  }

  /**
   * The one {@code SameSite=Lax} cookie, {@link #OIDC}: the identity provider sends the browser
   * back with a cross-site top-level GET, on which a Strict cookie is not sent (Lax is).
   */
  void setLax(Context ctx, String base, String value, long maxAgeSeconds) {
    set(ctx, base, value, maxAgeSeconds, "Lax");
  }

  private void set(Context ctx, String base, String value, long maxAgeSeconds, String sameSite) {
    StringBuilder c = new StringBuilder();
    c.append(name(ctx, base))
        .append('=')
        .append(value)
        .append("; Path=/; HttpOnly; SameSite=")
        .append(sameSite);
    if (maxAgeSeconds >= 0) {
      c.append("; Max-Age=").append(maxAgeSeconds);
    }
    if (secure(ctx)) {
      c.append("; Secure");
    }
    ctx.res().addHeader("Set-Cookie", c.toString());
  }

  void clear(Context ctx, String base) {
    set(ctx, base, "", 0);
  }
}
