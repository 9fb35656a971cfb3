package io.llmgateway.server.ui;

import java.util.List;

/**
 * The self-service page: the member's user and team, their budgets per window, this month's usage
 * by day and by model, their keys, the models a new key may use, and the new-key form (as typed,
 * with its problems, after a refusal). Immutable.
 */
record MeView(
    String userId,
    String team,
    List<Budget> budgets,
    List<Usage> byDay,
    List<Usage> byModel,
    String monthTotal,
    List<Key> keys,
    List<Model> models,
    int keyLimit,
    Form form) {

  /** A model a new key may use, ticked when a refused form had it ticked. */
  record Model(String name, boolean checked) {}

  record Budget(String window, String limit, String spent, String left, int pct, String resetsAt) {}

  record Usage(String group, long requests, long inputTokens, long outputTokens, String cost) {}

  record Key(
      String id,
      String alias,
      String prefix,
      String status,
      boolean blocked,
      String models,
      String budgets,
      String expires) {
    public String ref() {
      return Fmt.q(id);
    }
  }

  /** Where the key-issued page's "done" link goes. */
  record Back(String back) {}
}
