package io.llmgateway.server.ui;

import io.javalin.http.Context;

/**
 * Headers on every UI response. The CSP allows scripts and styles from this origin only (no inline
 * script, so injected markup cannot run code), no framing (clickjacking), forms posting only here.
 * {@code Referrer-Policy: same-origin} keeps URLs from leaking to other sites while same-origin
 * form posts still carry their {@code Origin} (with {@code no-referrer} browsers send {@code
 * Origin: null} on form posts, which the CSRF check would refuse). Stateless.
 */
final class SecurityHeaders {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none';"
          + " base-uri 'none'";

  private SecurityHeaders() {}

  static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    ctx.header("Cross-Origin-Resource-Policy", "same-origin");
    ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }

  /** Pages with data: never stored by the browser or a proxy (a new key is shown on one). */
  static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }
}
