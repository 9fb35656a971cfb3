package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A team with alias = id, no tier, every model, no budgets and no rate limits. */
public final class TeamBuilder {
  private final String id;
  private String alias;
  private Optional<String> tier = Optional.empty();
  private List<String> models = List.of();
  private final List<BudgetLimit> teamBudgets = new ArrayList<>();
  private final List<BudgetLimit> memberBudgets = new ArrayList<>();
  private RateLimits rateLimits = RateLimits.NONE;
  private boolean blocked;
  private Map<String, Object> metadata = Map.of();
  private Instant at = Fixtures.T0;

  TeamBuilder(String id) {
    this.id = id;
    this.alias = id;
  }

  public TeamBuilder alias(String v) {
    alias = v;
    return this;
  }

  public TeamBuilder tier(String v) {
    tier = Optional.of(v);
    return this;
  }

  public TeamBuilder models(String... v) {
    models = List.of(v);
    return this;
  }

  public TeamBuilder teamBudget(BudgetLimit v) {
    teamBudgets.add(v);
    return this;
  }

  public TeamBuilder memberBudget(BudgetLimit v) {
    memberBudgets.add(v);
    return this;
  }

  public TeamBuilder rateLimits(RateLimits v) {
    rateLimits = v;
    return this;
  }

  public TeamBuilder blocked(boolean v) {
    blocked = v;
    return this;
  }

  public TeamBuilder metadata(Map<String, Object> v) {
    metadata = v;
    return this;
  }

  public TeamBuilder at(Instant v) {
    at = v;
    return this;
  }

  public Team build() {
    return new Team(
        id,
        alias,
        tier,
        models,
        teamBudgets,
        memberBudgets,
        rateLimits,
        blocked,
        metadata,
        at,
        at,
        Optional.empty());
  }
}
