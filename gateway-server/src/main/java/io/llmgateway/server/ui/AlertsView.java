package io.llmgateway.server.ui;

import java.util.List;

/** s8-alerts: the budget alerts page, its state filter and rows. Immutable. */
record AlertsView(List<Option> states, List<Row> alerts) {
  record Option(String value, String label, boolean selected) {}

  record Row(
      String crossedAt,
      String scopeKind,
      String scopeId,
      String window,
      String threshold,
      String spend,
      String state,
      int attempts,
      String channels,
      String lastError) {
    public boolean failed() {
      return state.equals("failed");
    }
  }
}
