package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetIncrease;
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
 * CounterKey#LOCK_ORDER}.
 *
 * <p>Temporary increases are applied here and nowhere else: a key's raises its KEY lines, a user's
 * its USER lines, a team's its team-wide caps, each while {@code now} is before its expiry. A
 * raised line's {@link BudgetLine#limitUntil} is that expiry, so nothing (a budget lease in
 * particular) admits on the raised limit at or after it. Stateless.
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
    Optional<BudgetIncrease> keyIncrease = key.flatMap(VirtualKey::budgetIncrease);
    key.ifPresent(k -> add(lines, BudgetScope.key(k.id()), k.budgets(), keyIncrease, now, zone));

    List<BudgetLimit> member =
        user.map(u -> u.effectiveBudgets(team))
            .orElseGet(() -> team.map(Team::memberBudgets).orElse(List.of()));
    Optional<BudgetScope> memberScope =
        user.map(User::id).map(BudgetScope::user).or(() -> key.map(k -> BudgetScope.key(k.id())));
    // The member budgets are raised by the user's increase, or, carried by a team key without a
    // user, by that key's.
    Optional<BudgetIncrease> memberIncrease =
        user.isPresent() ? user.flatMap(User::budgetIncrease) : keyIncrease;
    memberScope.ifPresent(s -> add(lines, s, member, memberIncrease, now, zone));

    team.ifPresent(
        t -> add(lines, BudgetScope.team(t.id()), t.teamBudgets(), t.budgetIncrease(), now, zone));
    return List.copyOf(lines.values());
  }

  private static void add(
      Map<CounterKey, BudgetLine> lines,
      BudgetScope scope,
      List<BudgetLimit> limits,
      Optional<BudgetIncrease> increase,
      Instant now,
      ZoneId zone) {
    Optional<BudgetIncrease> active = increase.filter(i -> i.activeAt(now));
    for (BudgetLimit limit : limits) {
      WindowPeriod period = limit.window().periodAt(now, zone);
      CounterKey counter = new CounterKey(scope, limit.window(), period.key());
      BudgetLine line =
          new BudgetLine(
              counter,
              active.map(i -> i.raised(limit.limit())).orElse(limit.limit()),
              period.end(),
              active.map(BudgetIncrease::expiresAt).orElse(period.end()));
      lines.merge(counter, line, BudgetPlan::tighter);
    }
  }

  /**
   * The tighter of two limits on one counter, holding until the earlier of their ends: when the
   * looser one is a raised limit that falls back below the other, the merged limit changes then.
   */
  private static BudgetLine tighter(BudgetLine a, BudgetLine b) {
    BudgetLine t = a.limit().compareTo(b.limit()) <= 0 ? a : b;
    Instant until = a.limitUntil().isBefore(b.limitUntil()) ? a.limitUntil() : b.limitUntil();
    return new BudgetLine(t.counter(), t.limit(), t.resetsAt(), until);
  }
}
