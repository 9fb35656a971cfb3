package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.internal.BudgetPlan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A budget window added to a team, user or key mid-period starts from what the period has already
 * spent (issue 16), not from zero. After a change is stored, each counter that requests of the
 * changed object now draw on and did not before (by {@link BudgetPlan}, the one decision of which
 * budgets apply) is seeded from the spend log through {@code BudgetLedger.seedFromSpend}.
 *
 * <p>It runs after the store write and before the change is published to other instances, after
 * this instance's deferred settlements are flushed. Spend of requests admitted before the change
 * and still in flight when it is made is not in the seed (they carry no line on the new counter);
 * that is at most the in-flight requests of the moment. A new object has no spend, so creates are
 * not seeded.
 */
final class BudgetSeeds {
  private final AdminContext ctx;

  BudgetSeeds(AdminContext ctx) {
    this.ctx = ctx;
  }

  /** A team's changed budgets: its team-wide counters, and its members' and user-less keys'. */
  void teamChanged(Team before, Team after) {
    if (before.teamBudgets().equals(after.teamBudgets())
        && before.memberBudgets().equals(after.memberBudgets())) {
      return;
    }
    BudgetScope team = BudgetScope.team(after.id());
    seed(
        lines(team, Optional.empty(), Optional.empty(), Optional.of(before)),
        lines(team, Optional.empty(), Optional.empty(), Optional.of(after)));
    if (before.memberBudgets().equals(after.memberBudgets())) {
      return;
    }
    Listings.all(p -> ctx.stores.users().list(UserQuery.builder(p).team(after.id()).build()))
        .forEach(u -> userChanged(u, Optional.of(before), u, Optional.of(after)));
    Listings.all(p -> ctx.stores.keys().list(KeyQuery.builder(p).team(after.id()).build()))
        .filter(k -> k.userId().isEmpty())
        .forEach(k -> keyChanged(k, Optional.empty(), Optional.of(before), k, Optional.of(after)));
  }

  /** A user's changed budgets or team: its own (member) counters. */
  void userChanged(User before, Optional<Team> oldTeam, User after, Optional<Team> newTeam) {
    BudgetScope scope = BudgetScope.user(after.id());
    seed(
        lines(scope, Optional.empty(), Optional.of(before), oldTeam),
        lines(scope, Optional.empty(), Optional.of(after), newTeam));
  }

  /** A key's changed budgets, user or team: its own counters. */
  void keyChanged(
      VirtualKey before,
      Optional<User> oldUser,
      Optional<Team> oldTeam,
      VirtualKey after,
      Optional<Team> newTeam) {
    BudgetScope scope = BudgetScope.key(after.id());
    Optional<User> newUser = after.userId().flatMap(ctx.stores.users()::findById);
    seed(
        lines(scope, Optional.of(before), oldUser, oldTeam),
        lines(scope, Optional.of(after), newUser, newTeam));
  }

  private List<BudgetLine> lines(
      BudgetScope scope, Optional<VirtualKey> key, Optional<User> user, Optional<Team> team) {
    return BudgetPlan.linesOn(scope, key, user, team, ctx.now(), ctx.zone);
  }

  private void seed(List<BudgetLine> before, List<BudgetLine> after) {
    Set<CounterKey> had = before.stream().map(BudgetLine::counter).collect(Collectors.toSet());
    List<BudgetLine> added = after.stream().filter(l -> !had.contains(l.counter())).toList();
    if (added.isEmpty()) {
      return;
    }
    // This instance's answered requests are in the spend log before it is summed.
    ctx.flushSpend.run();
    for (BudgetLine line : added) {
      Instant start = line.counter().window().periodAt(ctx.now(), ctx.zone).start();
      ctx.stores.ledger().seedFromSpend(line, start);
    }
  }
}
