package io.llmgateway.server.ui;

import java.util.List;

/** The audit log page: events newest first with what changed, and the type filter. Immutable. */
record AuditView(String type, List<Option> types, List<Row> events, Pager pager) {

  record Option(String value, String label, boolean selected) {}

  record Row(
      String time,
      String actor,
      String action,
      String targetType,
      String targetId,
      List<Change> changes) {}

  record Change(String field, String before, String after) {}
}
