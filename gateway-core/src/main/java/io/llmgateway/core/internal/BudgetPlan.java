package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.WindowPeriod;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    return lines(Optional.of(p.key()), p.user(), p.team(), now, zone);
  }

  /**
   * The lines on {@code scope}'s own counters, exactly as admission computes them for requests by
   * {@code key} (if any) of {@code user} in {@code team}: what a budget read of that scope shows.
   * For a team key without a user, that includes the member budgets it carries itself.
   */
  public static List<BudgetLine> linesOn(
      BudgetScope scope,
      Optional<VirtualKey> key,
      Optional<User> user,
      Optional<Team> team,
      Instant now,
      ZoneId zone) {
    return lines(key, user, team, now, zone).stream()
        .filter(l -> l.counter().scope().equals(scope))
        .toList();
  }

  private static List<BudgetLine> lines(
      Optional<VirtualKey> key,
      Optional<User> user,
      Optional<Team> team,
      Instant now,
      ZoneId zone) {
    Map<CounterKey, BudgetLine> lines = new TreeMap<>(CounterKey.LOCK_ORDER);
    key.ifPresent(k -> add(lines, BudgetScope.key(k.id()), k.budgets(), now, zone));

    List<BudgetLimit> member =
        user.map(u -> u.effectiveBudgets(team))
            .orElseGet(() -> team.map(Team::memberBudgets).orElse(List.of()));
    Optional<BudgetScope> memberScope =
        user.map(User::id).map(BudgetScope::user).or(() -> key.map(k -> BudgetScope.key(k.id())));
    memberScope.ifPresent(s -> add(lines, s, member, now, zone));

    team.ifPresent(t -> add(lines, BudgetScope.team(t.id()), t.teamBudgets(), now, zone));
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
