package io.llmgateway.server.ui;

import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every budget window over the filtered key, user or team, from {@code AdminService.budgetStatus}
 * (the live counters the team page shows; which budgets apply is the core's BudgetPlan): for a key,
 * its own windows, its user's (own or the tier's per-member budget) and its team's; for a user, its
 * and its team's; for a team, the whole-team windows. Not thread-safe: one per request.
 */
final class UsageBudgets {
  private final Ui ui;
  private final Principal actor;
  private final UsageLabels labels;

  UsageBudgets(Ui ui, Principal actor, UsageLabels labels) {
    this.ui = ui;
    this.actor = actor;
    this.labels = labels;
  }

  List<UsageView.Budget> of(
      Optional<String> team, Optional<String> userId, Optional<String> keyId) {
    Set<BudgetScope> scopes = new LinkedHashSet<>();
    Optional<User> user = Optional.empty();
    try {
      if (keyId.isPresent()) {
        VirtualKey k = ui.admin.key(actor, keyId.get());
        scopes.add(BudgetScope.key(k.id()));
        Optional<User> owner = k.userId().map(u -> ui.admin.user(actor, u));
        owner.ifPresent(u -> scopes.add(BudgetScope.user(u.id())));
        k.teamId().or(() -> owner.flatMap(User::teamId)).ifPresent(t -> scopes.add(teamScope(t)));
        user = owner;
      } else if (userId.isPresent()) {
        user = Optional.of(ui.admin.user(actor, userId.get()));
        scopes.add(BudgetScope.user(user.get().id()));
        user.get().teamId().ifPresent(t -> scopes.add(teamScope(t)));
      } else if (team.isPresent()) {
        scopes.add(teamScope(team.get()));
      }
    } catch (RuntimeException e) {
      // A filter naming nothing visible shows no budgets; the series already said what it found.
      return List.of();
    }
    List<UsageView.Budget> out = new ArrayList<>();
    for (BudgetScope scope : scopes) {
      for (BudgetStatus b : ui.admin.budgetStatus(actor, scope)) {
        out.add(row(b, user));
      }
    }
    return out;
  }

  private BudgetScope teamScope(String idOrAlias) {
    return BudgetScope.team(ui.admin.team(actor, idOrAlias).id());
  }

  private UsageView.Budget row(BudgetStatus b, Optional<User> user) {
    String scope =
        switch (b.scope().kind()) {
          case TEAM ->
              "team " + labels.of(io.llmgateway.core.spend.SpendGroup.TEAM, b.scope().id());
          case KEY -> "key " + labels.of(io.llmgateway.core.spend.SpendGroup.KEY, b.scope().id());
          case USER -> {
            boolean own =
                user.map(User::budgets).orElse(List.of()).stream()
                    .map(BudgetLimit::window)
                    .anyMatch(w -> w == b.window());
            yield "user " + b.scope().id() + (own ? "" : " (tier per-member)");
          }
        };
    return new UsageView.Budget(
        scope,
        b.window().label(),
        b.period(),
        Fmt.usd(b.limit()),
        Fmt.usd(b.committed()),
        Fmt.usd(b.reserved()),
        Fmt.usd(b.remaining()),
        b.remaining().toUsdString(),
        Fmt.percent(b.committed().plus(b.reserved()), b.limit()),
        Fmt.time(b.resetsAt(), ui.zone));
  }
}
