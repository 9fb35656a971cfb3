package io.llmgateway.server.ui;

import io.llmgateway.core.session.UiSession;
import java.util.List;

/**
 * What the page frame ({@code _top}/{@code _bottom} partials) shows: title, navigation with the
 * current page marked, the signed-in user, the CSRF token for forms, and a notice or error line.
 * Immutable.
 */
record Layout(
    String title, List<NavItem> nav, String username, String csrf, String notice, String error) {

  record NavItem(String href, String label, boolean active) {}

  private static final String[][] PAGES = {
    {"overview", "Overview"},
    {"teams", "Teams"},
    {"users", "Users"},
    {"keys", "Keys"},
    {"models", "Models"},
    {"usage", "Usage"},
    {"playground", "Playground"},
    {"spend", "Spend logs"},
    {"requests", "Requests"},
    {"audit", "Audit log"}
  };

  static Layout of(String page, String title, UiSession session, String notice, String error) {
    List<NavItem> nav =
        java.util.Arrays.stream(PAGES)
            .map(p -> new NavItem("/ui/" + p[0], p[1], p[0].equals(page)))
            .toList();
    return new Layout(title, nav, session.username(), session.csrfToken(), notice, error);
  }
}
