package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.WindowPeriod;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where each budget of a team, user or key stands now, read from the ledger's counters. */
final class BudgetAdmin {
  private final AdminContext ctx;

  BudgetAdmin(AdminContext ctx) {
    this.ctx = ctx;
  }

  List<BudgetStatus> status(Principal actor, BudgetScope scope) {
    List<BudgetLimit> limits =
        switch (scope.kind()) {
          case TEAM -> {
            Team team = ctx.team(scope.id());
            Access.requireManagesTeam(actor, Optional.of(team.id()), "read this team's budgets");
            scope = BudgetScope.team(team.id());
            yield team.teamBudgets();
          }
          case USER -> {
            User user = ctx.user(scope.id());
            if (!Access.ownUserId(actor).equals(Optional.of(user.id()))) {
              Access.requireManagesTeam(actor, user.teamId(), "read other users' budgets");
            }
            yield user.effectiveBudgets(user.teamId().flatMap(ctx.stores.teams()::findById));
          }
          case KEY -> {
            VirtualKey key =
                ctx.stores
                    .keys()
                    .findById(scope.id())
                    .orElseThrow(() -> new NotFoundException("key not found"));
            if (!Access.ownKeyId(actor).equals(Optional.of(key.id()))) {
              Access.requireManagesTeam(actor, ctx.teamOf(key), "read other keys' budgets");
            }
            yield key.budgets();
          }
        };
    return statuses(scope, limits, ctx.now());
  }

  private List<BudgetStatus> statuses(BudgetScope scope, List<BudgetLimit> limits, Instant now) {
    List<BudgetLimit> ordered =
        limits.stream().sorted(Comparator.comparing(BudgetLimit::window)).toList();
    List<WindowPeriod> periods =
        ordered.stream().map(l -> l.window().periodAt(now, ctx.zone)).toList();
    List<CounterKey> counters =
        periods.stream().map(p -> new CounterKey(scope, p.window(), p.key())).toList();
    Map<CounterKey, CounterBalance> balances = ctx.stores.ledger().balances(counters);
    List<BudgetStatus> result = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      Money limit = ordered.get(i).limit();
      CounterBalance b = balances.getOrDefault(counters.get(i), CounterBalance.EMPTY);
      WindowPeriod p = periods.get(i);
      result.add(
          new BudgetStatus(
              scope,
              p.window(),
              limit,
              b.committed(),
              b.reserved(),
              limit.minusOrZero(b.used()),
              p.key(),
              p.end()));
    }
    return result;
  }
}
