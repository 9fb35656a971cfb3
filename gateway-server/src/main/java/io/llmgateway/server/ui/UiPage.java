package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.session.UiSession;
import java.util.Map;

/**
 * A page of the UI: renders itself with an optional notice or error, and runs form actions with the
 * post/redirect/get pattern: a successful action redirects to the page with a fixed notice code
 * (never free text in a URL); a refused one re-renders the page with the service's message and a
 * matching status. Subclasses are thread-safe.
 */
abstract class UiPage {
  private static final Map<String, String> NOTICES =
      Map.ofEntries(
          Map.entry("team-created", "Team created."),
          Map.entry("team-saved", "Team saved."),
          Map.entry("team-deleted", "Team deleted."),
          Map.entry("user-created", "User created."),
          Map.entry("user-deleted", "User deleted."),
          Map.entry("key-blocked", "Key blocked: requests with it are refused from now on."),
          Map.entry("key-unblocked", "Key unblocked."),
          Map.entry("key-deleted", "Key deleted."),
          // lists
          Map.entry("model-created", "Model added."),
          Map.entry("model-saved", "Model saved."),
          Map.entry("model-deleted", "Model deleted."),
          // edit
          Map.entry("user-saved", "User saved."),
          Map.entry("key-saved", "Key saved."),
          // operators
          Map.entry("operator-saved", "Operator saved: their sessions have ended."),
          Map.entry("operator-deleted", "Operator removed: their sessions have ended."));

  protected final Ui ui;

  UiPage(Ui ui) {
    this.ui = ui;
  }

  /** Renders the page for {@code GET}. */
  void get(Context ctx, UiSession session) {
    String code = ctx.queryParam("notice");
    render(ctx, session, code == null ? null : NOTICES.get(code), null, 200);
  }

  abstract void render(Context ctx, UiSession session, String notice, String error, int status);

  /** Runs {@code action}; on success redirects to {@code target} with notice {@code code}. */
  void perform(Context ctx, UiSession session, Runnable action, String target, String code) {
    try {
      action.run();
    } catch (GatewayException | IllegalArgumentException e) {
      render(ctx, session, null, e.getMessage(), status(e));
      return;
    }
    ctx.redirect(
        target + (target.contains("?") ? "&" : "?") + "notice=" + code, HttpStatus.SEE_OTHER);
  }

  /**
   * The id a page or action is about, from the query string ({@code ?id=}, URL-encoded by the page
   * that linked here). Ids never sit in the path, so no id ({@code ../keys/x/unblock?}, {@code
   * a/b}) can change which route a form posts to.
   */
  static String id(Context ctx) {
    String id = ctx.queryParam("id");
    if (id == null || id.isEmpty()) {
      throw new InvalidRequestException("id is required", "id");
    }
    return id;
  }

  static int status(RuntimeException e) {
    return switch (e) {
      case NotFoundException n -> 404;
      case ConflictException c -> 409;
      case PermissionDeniedException p -> 403;
      case StorageUnavailableException s -> 503;
      default -> 400;
    };
  }
}
