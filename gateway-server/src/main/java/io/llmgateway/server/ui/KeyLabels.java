package io.llmgateway.server.ui;

import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import java.util.HashMap;
import java.util.Map;

/**
 * What a page shows for a key id: its alias, else its display prefix ({@code sk-...abcd}), else (a
 * deleted key) the id. The id itself goes in a tooltip. Looks each key up once per page render
 * through the admin service. Not thread-safe: one per render.
 */
final class KeyLabels {
  private final Ui ui;
  private final Principal actor;
  private final Map<String, String> labels = new HashMap<>();

  KeyLabels(Ui ui, Principal actor) {
    this.ui = ui;
    this.actor = actor;
  }

  String of(String keyId) {
    return labels.computeIfAbsent(keyId, this::lookUp);
  }

  private String lookUp(String keyId) {
    try {
      VirtualKey k = ui.admin.key(actor, keyId);
      return k.alias().orElse(k.displayPrefix());
    } catch (GatewayException | IllegalArgumentException e) {
      return keyId;
    }
  }
}
