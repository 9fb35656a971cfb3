package io.llmgateway.server.ui;

import io.llmgateway.core.identity.Grant;
import java.util.List;
import java.util.Set;

/**
 * Which pages of the UI a grant may open and on which it may act: the navigation shows these, and
 * every other page or action answers the UI's 403 page. What the person sees and changes on a page
 * is still decided by the admin service ({@code Access} in core), which refuses the same things:
 * this table only keeps people off pages that would show them nothing but refusals. Immutable.
 *
 * <ul>
 *   <li>proxy admin: every page, every action, the operators page and the playground;
 *   <li>viewer: every page a proxy admin reads (not operators, not the playground: sending a
 *       request spends a key's budget), no action;
 *   <li>team admin: what a viewer reads but the audit log, its own teams' data only; acts on users
 *       and keys, and uses the playground with its teams' keys;
 *   <li>member: its self-service page only, and the actions on it.
 * </ul>
 */
final class UiAccess {
  private UiAccess() {}

  /** Every page with a nav entry, in nav order: path segment after {@code /ui/} and label. */
  static final List<String[]> NAV =
      List.of(
          new String[] {"overview", "Overview"},
          new String[] {"teams", "Teams"},
          new String[] {"users", "Users"},
          new String[] {"keys", "Keys"},
          new String[] {"models", "Models"},
          new String[] {"usage", "Usage"},
          new String[] {"playground", "Playground"},
          new String[] {"spend", "Spend logs"},
          new String[] {"requests", "Requests"},
          new String[] {"audit", "Audit log"},
          new String[] {"alerts", "Alerts"}, // s8-alerts
          new String[] {"operators", "Operators"},
          new String[] {"me", "My keys and budgets"});

  private static final Set<String> READS =
      Set.of(
          "overview",
          "teams",
          "team",
          "users",
          "user",
          "keys",
          "key",
          "models",
          "model",
          "usage",
          "spend",
          "requests",
          "audit",
          "alerts"); // s8-alerts

  /** Is {@code page} one of the UI's pages (else its address answers the UI's 404 page)? */
  static boolean known(String page) {
    return READS.contains(page)
        || page.equals("operators")
        || page.equals("playground")
        || page.equals("me");
  }

  /** May {@code grant} open page {@code page} (the first segment after {@code /ui/})? */
  static boolean opens(Grant grant, String page) {
    return switch (grant) {
      case Grant.ProxyAdmin g ->
          READS.contains(page) || page.equals("operators") || page.equals("playground");
      case Grant.Viewer g -> READS.contains(page);
      case Grant.TeamAdmin g ->
          (READS.contains(page) && !page.equals("audit")) || page.equals("playground");
      case Grant.Member g -> page.equals("me");
    };
  }

  /** May {@code grant} act (post forms) on page {@code page}? */
  static boolean acts(Grant grant, String page) {
    return switch (grant) {
      case Grant.ProxyAdmin g -> opens(grant, page);
      case Grant.Viewer g -> false;
      case Grant.TeamAdmin g -> Set.of("users", "user", "keys", "key", "playground").contains(page);
      case Grant.Member g -> page.equals("me");
    };
  }

  /** Where a person lands after sign-in, and where the 403 page sends them back to. */
  static String home(Grant grant) {
    return grant instanceof Grant.Member ? "/ui/me" : "/ui/overview";
  }

  /** The page a request path is for: {@code /ui/team/delete} is {@code team}, .csv too. */
  static String pageOf(String path) {
    String rest = path.startsWith("/ui/") ? path.substring(4) : "";
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    int dot = first.indexOf('.');
    return dot < 0 ? first : first.substring(0, dot);
  }

  /** The role as the header shows it. */
  static String label(Grant grant) {
    return switch (grant) {
      case Grant.ProxyAdmin g -> "proxy admin";
      case Grant.Viewer g -> "viewer (read-only)";
      case Grant.TeamAdmin t ->
          "team admin of " + String.join(", ", new java.util.TreeSet<>(t.teamIds()));
      case Grant.Member m -> "self-service";
    };
  }
}
