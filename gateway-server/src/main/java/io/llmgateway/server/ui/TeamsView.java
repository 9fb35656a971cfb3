package io.llmgateway.server.ui;

import java.util.List;

/** The teams page's data: one row per team and the create form's choices. Immutable. */
record TeamsView(
    List<Row> teams,
    List<String> models,
    ListParams list,
    List<ListParams.Column> columns,
    Form form) {

  public String searchHint() {
    return "name, id or tier";
  }

  record Row(
      String id,
      String alias,
      String tier,
      String models,
      String memberDaily,
      String memberMonthly,
      String teamDaily,
      String teamMonthly,
      long members,
      long keys,
      String monthSpend,
      long monthNanos,
      boolean blocked) {
    /** The id URL-encoded, for links and form actions: an id is data, never URL structure. */
    public String ref() {
      return Fmt.q(id);
    }
  }
}
