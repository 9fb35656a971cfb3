package io.llmgateway.server.ui;

import java.util.List;

/**
 * One user's page: who it is, its budget windows now (limit, spent, in flight, left, reset), its
 * spend, its keys, and the edit form (current values, or the refused values with problems).
 * Immutable.
 */
record UserView(
    String id,
    String email,
    String team,
    String role,
    String todaySpend,
    String monthSpend,
    String rateLimits,
    String created,
    List<TeamView.Budget> budgets,
    List<Key> keys,
    List<String> teams,
    Form form) {

  /** The id URL-encoded, for links and form actions. */
  public String ref() {
    return Fmt.q(id);
  }

  public String teamRef() {
    return Fmt.q(team);
  }

  public boolean hasTeam() {
    return !team.isEmpty();
  }

  record Key(String id, String alias, String prefix, String status, String expires) {
    public String ref() {
      return Fmt.q(id);
    }
  }
}
