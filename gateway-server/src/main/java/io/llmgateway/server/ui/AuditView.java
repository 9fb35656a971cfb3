package io.llmgateway.server.ui;

import java.util.List;

/**
 * The audit log page: events in the chosen order with what changed, the filters (type, actor,
 * action, time range), the search box and the sortable headers. Immutable.
 */
record AuditView(
    List<Option> types,
    String actor,
    String action,
    String from,
    String to,
    List<Row> events,
    Pager pager,
    ListParams list,
    List<ListParams.Column> columns) {

  public String searchHint() {
    return "who, action or object id";
  }

  record Option(String value, String label, boolean selected) {}

  record Row(
      String time,
      String actor,
      String action,
      String targetType,
      String targetId,
      List<Change> changes) {
    /** Links that filter by this row's actor or action (values are data, encoded). */
    public String actorRef() {
      return Fmt.q(actor);
    }

    public String actionRef() {
      return Fmt.q(action);
    }
  }

  record Change(String field, String before, String after) {}
}
