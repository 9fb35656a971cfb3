package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One admin route: method, path (Javalin syntax, {@code {param}} for a path segment), the policy
 * the gate checks before the handler runs, a one-line summary, and the handler. Immutable.
 */
record AdminRoute(Method method, String path, Policy policy, String summary, Handler handler) {

  enum Method {
    GET,
    POST
  }

  /** Answers one call; the returned JSON is sent with status 200 unless the call set another. */
  @FunctionalInterface
  interface Handler {
    JsonNode handle(AdminCall call) throws Exception;
  }

  AdminRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(policy, "every admin route needs an explicit policy");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(handler, "handler");
  }

  static AdminRoute get(String path, Policy policy, String summary, Handler handler) {
    return new AdminRoute(Method.GET, path, policy, summary, handler);
  }

  static AdminRoute post(String path, Policy policy, String summary, Handler handler) {
    return new AdminRoute(Method.POST, path, policy, summary, handler);
  }

  List<String> segments() {
    return AdminGate.segments(path);
  }

  /** True when the request's segments fit this route's template. */
  boolean matches(String method, List<String> request) {
    if (!this.method.name().equals(method)) {
      return false;
    }
    List<String> template = segments();
    if (template.size() != request.size()) {
      return false;
    }
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (!(t.startsWith("{") && t.endsWith("}")) && !t.equals(request.get(i))) {
        return false;
      }
    }
    return true;
  }
}
