package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.server.http.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error under {@code /ui} is an HTML page in the UI's style with the right status, never the
 * API's JSON and never a stack trace: unknown URLs (404), unknown ids (404), permission denied
 * (403), storage down (503), a bad request (400) and anything unexpected (500, logged with the
 * request id the page shows). Thread-safe.
 */
final class UiErrors {
  private static final Logger log = LoggerFactory.getLogger(UiErrors.class);

  /** What the error page shows. */
  record ErrorView(int status, String heading, String message, String requestId) {}

  private final Templates templates;

  UiErrors(Templates templates) {
    this.templates = templates;
  }

  void show(Context ctx, int status, String message) {
    templates.html(
        ctx, status, "error", new ErrorView(status, heading(status), message, RequestIds.of(ctx)));
  }

  void notFound(Context ctx) {
    show(ctx, 404, "There is no page at this address.");
  }

  /** The page for an exception that escaped a UI handler. */
  void failed(Context ctx, Exception e) {
    if (e instanceof GatewayException g) {
      show(ctx, UiPage.status(g), g.getMessage());
      return;
    }
    log.error("UI request {} failed: {} {}", RequestIds.of(ctx), ctx.method(), ctx.path(), e);
    show(ctx, 500, "Something went wrong on the server. The request id below is in its log.");
  }

  private static String heading(int status) {
    return switch (status) {
      case 400 -> "Not accepted";
      case 403 -> "Not allowed";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 503 -> "Storage unavailable";
      default -> status >= 500 ? "Server error" : "Refused";
    };
  }
}
