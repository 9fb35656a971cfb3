package io.llmgateway.server.ui;

import java.util.List;

/**
 * One team's edit page: its stored settings, budget status, members, and the edit form (the stored
 * values, or what was typed into a refused form). Immutable apart from the form.
 */
record TeamView(
    String id,
    String alias,
    String tier,
    String models,
    String memberDaily,
    String memberMonthly,
    String teamDaily,
    String teamMonthly,
    boolean blocked,
    String rpm,
    String tpm,
    String maxParallel,
    String metadata,
    List<Budget> budgets,
    List<Member> members,
    Form form) {

  record Budget(
      String window,
      String limit,
      String spent,
      String reserved,
      String remaining,
      int pct,
      String resetsAt,
      String projected) {}

  /** The id URL-encoded, for links and form actions. */
  public String ref() {
    return Fmt.q(id);
  }

  record Member(String id, String email, String role, String todaySpend, String monthSpend) {}
}
