package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.identity.Principal;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Extra body fields on {@code /key/generate|update}, {@code /user/new|update} and {@code
 * /team/new|update} that a feature outside {@code AdminService} stores itself (budget alerts'
 * {@code soft_budget} and {@code alert_thresholds}, docs/ALERTS.md). The route validates them with
 * its own fields (all problems in one 400) and applies them only after the core accepted the
 * change, so the caller's rights on the object are the core's. Implementations are thread-safe.
 */
public interface AdminExtension {
  /** Scope kinds passed to {@link #apply}. */
  String KEY = "KEY";

  String USER = "USER";
  String TEAM = "TEAM";

  /** No extra fields. */
  AdminExtension NONE =
      new AdminExtension() {
        @Override
        public Set<String> fields() {
          return Set.of();
        }

        @Override
        public void validate(JsonNode body, BiConsumer<String, String> problem) {}

        @Override
        public void apply(Principal actor, String kind, String id, JsonNode body) {}
      };

  Set<String> fields();

  /** Reports each problem of the extra fields in {@code body} as (field, message). */
  void validate(JsonNode body, BiConsumer<String, String> problem);

  /** Stores the extra fields present in {@code body} for object {@code id} of {@code kind}. */
  void apply(Principal actor, String kind, String id, JsonNode body);

  /**
   * Adds what the extension knows of object {@code id} of {@code kind} to its view (the single
   * object routes: info, create, update); nothing by default.
   */
  default void describe(
      String kind, String id, com.fasterxml.jackson.databind.node.ObjectNode out) {}
}
