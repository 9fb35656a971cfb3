package io.llmgateway.server.ui;

import java.util.List;

/**
 * One key's page: its identity (display prefix only, never the value), owner, status, expiry and
 * rotation grace, budget windows now, spend, the edit form and the rotate form. Immutable.
 */
record KeyView(
    String id,
    String alias,
    String prefix,
    String user,
    String team,
    String role,
    String status,
    String expires,
    String grace,
    String todaySpend,
    String monthSpend,
    long requests,
    String rateLimits,
    String models,
    List<TeamView.Budget> budgets,
    List<String> teams,
    Form form) {

  public String ref() {
    return Fmt.q(id);
  }

  public String userRef() {
    return Fmt.q(user);
  }

  public String teamRef() {
    return Fmt.q(team);
  }

  public boolean hasUser() {
    return !user.isEmpty();
  }

  public boolean hasTeam() {
    return !team.isEmpty();
  }
}
