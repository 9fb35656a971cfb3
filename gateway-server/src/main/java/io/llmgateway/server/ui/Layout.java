package io.llmgateway.server.ui;

import io.llmgateway.core.session.UiSession;
import java.util.List;

/**
 * What the page frame ({@code _top}/{@code _bottom} partials) shows: title, navigation with the
 * current page marked, the signed-in person and their role, the CSRF token for forms, a notice or
 * error line, and whether this person may act on this page ({@code writes}: templates show forms
 * and buttons only then; see {@link UiAccess}). Immutable.
 */
record Layout(
    String title,
    List<NavItem> nav,
    String username,
    String csrf,
    String notice,
    String error,
    String role,
    boolean writes,
    String home) {

  record NavItem(String href, String label, boolean active) {}

  static Layout of(String page, String title, UiSession session, String notice, String error) {
    // operators: only the grants that may open a page get its entry (UiAccess).
    List<NavItem> nav =
        UiAccess.NAV.stream()
            .filter(p -> UiAccess.opens(session.grant(), p[0]))
            .map(p -> new NavItem("/ui/" + p[0], p[1], p[0].equals(page)))
            .toList();
    return new Layout(
        title,
        nav,
        session.username(),
        session.csrfToken(),
        notice,
        error,
        UiAccess.label(session.grant()),
        UiAccess.acts(session.grant(), page),
        UiAccess.home(session.grant()));
  }
}
