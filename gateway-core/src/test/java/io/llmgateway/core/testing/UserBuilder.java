package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An INTERNAL_USER with no email, no team, every model and no budgets. */
public final class UserBuilder {
  private final String id;
  private Optional<String> email = Optional.empty();
  private Optional<String> alias = Optional.empty();
  private Optional<String> teamId = Optional.empty();
  private UserRole role = UserRole.INTERNAL_USER;
  private List<String> models = List.of();
  private final List<BudgetLimit> budgets = new ArrayList<>();
  private RateLimits rateLimits = RateLimits.NONE;
  private Map<String, Object> metadata = Map.of();
  private Instant at = Fixtures.T0;

  UserBuilder(String id) {
    this.id = id;
  }

  public UserBuilder email(String v) {
    email = Optional.of(v);
    return this;
  }

  public UserBuilder alias(String v) {
    alias = Optional.of(v);
    return this;
  }

  public UserBuilder team(String v) {
    teamId = Optional.of(v);
    return this;
  }

  public UserBuilder role(UserRole v) {
    role = v;
    return this;
  }

  public UserBuilder models(String... v) {
    models = List.of(v);
    return this;
  }

  public UserBuilder budget(BudgetLimit v) {
    budgets.add(v);
    return this;
  }

  public UserBuilder rateLimits(RateLimits v) {
    rateLimits = v;
    return this;
  }

  public UserBuilder metadata(Map<String, Object> v) {
    metadata = v;
    return this;
  }

  public UserBuilder at(Instant v) {
    at = v;
    return this;
  }

  public User build() {
    return new User(
        id,
        email,
        alias,
        teamId,
        role,
        models,
        budgets,
        rateLimits,
        metadata,
        at,
        at,
        Optional.empty());
  }
}
