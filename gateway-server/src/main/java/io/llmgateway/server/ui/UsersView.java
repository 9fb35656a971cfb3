package io.llmgateway.server.ui;

import java.util.List;

/** The users page's data: spend per window, remaining budget and keys per user. Immutable. */
record UsersView(
    String team,
    List<Row> users,
    List<String> teams,
    Pager pager,
    ListParams list,
    List<ListParams.Column> columns,
    Form form) {

  public String searchHint() {
    return "id, email or name";
  }

  record Row(
      String id,
      String email,
      String team,
      String role,
      String todaySpend,
      String monthSpend,
      String dailyLeft,
      String monthlyLeft,
      long keys) {
    /** The id URL-encoded, for links and form actions: an id is data, never URL structure. */
    public String ref() {
      return Fmt.q(id);
    }
  }
}
