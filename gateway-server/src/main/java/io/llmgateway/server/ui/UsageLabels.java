package io.llmgateway.server.ui;

import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import java.util.HashMap;
import java.util.Map;

/**
 * Names for the groups of a usage breakdown, looked up once per page through {@code AdminService}:
 * a team by alias, a key by alias (else its display prefix: never a bare {@code key_...} id), a
 * user and a model by id. A team or key that is gone (deleted, or not visible to the operator) is
 * shown as such. Not thread-safe: one per request.
 */
final class UsageLabels {
  private final Ui ui;
  private final Principal actor;
  private final Map<String, String> cache = new HashMap<>();

  UsageLabels(Ui ui, Principal actor) {
    this.ui = ui;
    this.actor = actor;
  }

  String of(SpendGroup group, String id) {
    return switch (group) {
      case TEAM -> cache.computeIfAbsent("t:" + id, k -> team(id));
      case KEY -> cache.computeIfAbsent("k:" + id, k -> key(id));
      default -> id;
    };
  }

  /** A key as lists show it: its alias, else its display prefix. */
  String key(VirtualKey k) {
    return k.alias().orElse(k.displayPrefix());
  }

  private String team(String id) {
    try {
      return ui.admin.team(actor, id).alias();
    } catch (GatewayException e) {
      return id;
    }
  }

  private String key(String id) {
    try {
      return key(ui.admin.key(actor, id));
    } catch (GatewayException e) {
      return "(deleted key)";
    }
  }
}
