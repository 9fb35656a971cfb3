package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.WindowPeriod;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which budget counters a request by a key draws on:
 *
 * <ul>
 *   <li>the key's own budgets (scope KEY);
 *   <li>the member budgets: the user's own limit for a window if set, else the team's per-member
 *       limit (scope USER); a team key without a user carries the member budgets itself (scope
 *       KEY), so a service key cannot escape its tier;
 *   <li>the team-wide caps (scope TEAM).
 * </ul>
 *
 * Two limits on the same counter merge into the tighter one. Lines come out in {@link
 * CounterKey#LOCK_ORDER}. Stateless.
 */
public final class BudgetPlan {
  private BudgetPlan() {}

  public static List<BudgetLine> linesFor(Principal.Keyed p, Instant now, ZoneId zone) {
    Map<CounterKey, BudgetLine> lines = new TreeMap<>(CounterKey.LOCK_ORDER);
    add(lines, BudgetScope.key(p.key().id()), p.key().budgets(), now, zone);

    List<BudgetLimit> member =
        p.user()
            .map(u -> u.effectiveBudgets(p.team()))
            .orElseGet(() -> p.team().map(Team::memberBudgets).orElse(List.of()));
    BudgetScope memberScope =
        p.user().map(User::id).map(BudgetScope::user).orElse(BudgetScope.key(p.key().id()));
    add(lines, memberScope, member, now, zone);

    p.team().ifPresent(t -> add(lines, BudgetScope.team(t.id()), t.teamBudgets(), now, zone));
    return List.copyOf(lines.values());
  }

  private static void add(
      Map<CounterKey, BudgetLine> lines,
      BudgetScope scope,
      List<BudgetLimit> limits,
      Instant now,
      ZoneId zone) {
    for (BudgetLimit limit : limits) {
      WindowPeriod period = limit.window().periodAt(now, zone);
      CounterKey counter = new CounterKey(scope, limit.window(), period.key());
      BudgetLine line = new BudgetLine(counter, limit.limit(), period.end());
      lines.merge(counter, line, (a, b) -> a.limit().compareTo(b.limit()) <= 0 ? a : b);
    }
  }
}
