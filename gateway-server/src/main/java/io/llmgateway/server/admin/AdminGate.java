package io.llmgateway.server.admin;

import io.javalin.http.Context;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.http.Authenticator;
import io.llmgateway.server.http.HttpProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one before-handler for the admin API. For every request whose path looks like an admin path
 * (first segment {@code key}, {@code team}, {@code user}, {@code model}, {@code spend}, {@code
 * global}, {@code audit} ..., also under {@code /v1} or {@code /v2}) it finds the route in the
 * table; a path or method the table does not list is 404, whatever the router would have done
 * (default deny: nothing admin-looking falls through). A listed route needs a valid key (401) that
 * the route's {@link Policy} allows (403, code {@code route_not_allowed}). The decision uses the
 * same path the router sees, with empty segments and a trailing slash ignored, and case-sensitive
 * literals: {@code /KEY/generate} is an unknown admin path (404), not a way around the gate.
 * Thread-safe.
 */
final class AdminGate {
  static final String ROUTE = "gw.adminRoute";

  /** First path segments that belong to the admin API, ours or LiteLLM's. */
  static final Set<String> ADMIN_ROOTS =
      Set.of(
          "key",
          "team",
          "user",
          "model",
          "model_group",
          "spend",
          "global",
          "audit",
          "budget",
          "customer",
          "end_user",
          "organization",
          "config",
          "credentials",
          "request", // reqlog: /request/logs
          "operator");

  private final List<AdminRoute> table;
  private final Authenticator auth;

  AdminGate(List<AdminRoute> table, Authenticator auth) {
    this.table = List.copyOf(table);
    this.auth = auth;
  }

  void check(Context ctx) {
    List<String> segments = segments(ctx.path());
    if (!isAdminPath(segments)) {
      return;
    }
    String method = ctx.method().name();
    Optional<AdminRoute> route =
        table.stream().filter(r -> r.matches(method, segments)).findFirst();
    if (route.isEmpty()) {
      throw HttpProblem.notFound("no admin route " + method + " /" + safe(segments));
    }
    Principal p = auth.require(ctx);
    if (!route.get().policy().allows(p)) {
      throw new HttpProblem(
          403,
          "permission_error",
          "route_not_allowed",
          method
              + " "
              + route.get().path()
              + " needs "
              + route.get().policy().who()
              + "; this key may not call it",
          null);
    }
    ctx.attribute(ROUTE, route.get());
  }

  static boolean isAdminPath(List<String> segments) {
    if (segments.isEmpty()) {
      return false;
    }
    String first = segments.getFirst().toLowerCase(Locale.ROOT);
    if ((first.equals("v1") || first.equals("v2")) && segments.size() > 1) {
      first = segments.get(1).toLowerCase(Locale.ROOT);
    }
    return ADMIN_ROOTS.contains(first);
  }

  static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static String safe(List<String> segments) {
    String joined = String.join("/", segments).replaceAll("[^A-Za-z0-9/._~{}-]", "?");
    return joined.length() <= 128 ? joined : joined.substring(0, 128) + "...";
  }
}
