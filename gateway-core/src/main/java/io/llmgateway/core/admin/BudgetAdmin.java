package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.internal.BudgetPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Where each budget of a team, user or key stands now, read from the ledger's counters. */
final class BudgetAdmin {
  private final AdminContext ctx;
  private final Consumer<BudgetScope> beforeRead;

  /**
   * @param beforeRead runs before a read of one scope's balances (the {@code Gateway} gives back
   *     its idle budget leases on that scope's counters)
   */
  BudgetAdmin(AdminContext ctx, Consumer<BudgetScope> beforeRead) {
    this.ctx = ctx;
    this.beforeRead = beforeRead;
  }

  List<BudgetStatus> status(Principal actor, BudgetScope scope) {
    beforeRead.accept(scope);
    Instant now = ctx.now();
    // Which budgets apply is BudgetPlan's decision, the one admission uses: a read shows the
    // limits requests are held to, on the counters they draw on.
    List<BudgetLine> lines =
        switch (scope.kind()) {
          case TEAM -> {
            Team team = ctx.team(actor, scope.id());
            yield BudgetPlan.linesOn(
                BudgetScope.team(team.id()),
                Optional.empty(),
                Optional.empty(),
                Optional.of(team),
                now,
                ctx.zone);
          }
          case USER -> {
            User user = ctx.user(actor, scope.id());
            yield BudgetPlan.linesOn(
                BudgetScope.user(user.id()),
                Optional.empty(),
                Optional.of(user),
                user.teamId().flatMap(ctx.stores.teams()::findById),
                now,
                ctx.zone);
          }
          case KEY -> {
            VirtualKey key =
                ctx.stores
                    .keys()
                    .findById(scope.id())
                    .filter(k -> Access.seesKey(actor, k, ctx.teamOf(k)))
                    .orElseThrow(AdminContext::noKey);
            Optional<User> user = key.userId().flatMap(ctx.stores.users()::findById);
            Optional<Team> team = ctx.teamOf(key).flatMap(ctx.stores.teams()::findById);
            yield BudgetPlan.linesOn(
                BudgetScope.key(key.id()), Optional.of(key), user, team, now, ctx.zone);
          }
        };
    return statuses(lines, now);
  }

  private List<BudgetStatus> statuses(List<BudgetLine> lines, Instant now) {
    List<BudgetLine> ordered =
        lines.stream().sorted(Comparator.comparing(l -> l.counter().window())).toList();
    Map<CounterKey, CounterBalance> balances =
        ctx.stores.ledger().balances(ordered.stream().map(BudgetLine::counter).toList());
    List<BudgetStatus> result = new ArrayList<>();
    for (BudgetLine line : ordered) {
      CounterKey k = line.counter();
      CounterBalance b = balances.getOrDefault(k, CounterBalance.EMPTY);
      result.add(
          new BudgetStatus(
              k.scope(),
              k.window(),
              line.limit(),
              b.committed(),
              b.reserved(),
              line.limit().minusOrZero(b.used()),
              k.period(),
              line.resetsAt(),
              BudgetForecast.of(
                  b.committed(),
                  line.limit(),
                  k.window().periodAt(now, ctx.zone).start(),
                  line.resetsAt(),
                  now)));
    }
    return result;
  }
}
