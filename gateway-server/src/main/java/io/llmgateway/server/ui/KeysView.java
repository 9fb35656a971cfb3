package io.llmgateway.server.ui;

import java.util.List;

/** The keys page's data: keys with status and spend, filters and form choices. Immutable. */
record KeysView(
    String team,
    String user,
    List<Row> keys,
    List<String> teams,
    Pager pager,
    ListParams list,
    List<ListParams.Column> columns,
    Form form) {

  public String searchHint() {
    return "alias, key id, sk-... or user";
  }

  record Row(
      String id,
      String alias,
      String prefix,
      String user,
      String team,
      String role,
      String status,
      boolean blocked,
      String todaySpend,
      String monthSpend,
      long requests,
      String budgets,
      String expires,
      String created) {
    /** The id URL-encoded, for links and form actions: an id is data, never URL structure. */
    public String ref() {
      return Fmt.q(id);
    }
  }

  /** The page shown once after a key is created or rotated: the only time its value is seen. */
  record Issued(String id, String alias, String plaintext, String verb) {}
}
