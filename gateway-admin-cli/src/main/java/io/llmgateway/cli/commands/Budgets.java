package io.llmgateway.cli.commands;

import io.llmgateway.cli.admin.Admin;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The budget that binds a report group in a window: a user's own override or else their tier's
 * per-member budget; a key's own budget or else its user's; a team's team-wide cap or else its
 * per-member budget times its member count. Caches look-ups for one command. Not thread-safe.
 */
final class Budgets {
  private final Admin admin;
  private final Map<String, Optional<Team>> teams = new HashMap<>();
  private final Map<String, Optional<User>> users = new HashMap<>();

  Budgets(Admin admin) {
    this.admin = admin;
  }

  Optional<Money> of(SpendGroup group, String id, BudgetWindow window) {
    return switch (group) {
      case USER -> user(id).flatMap(u -> ofUser(u, window));
      case KEY ->
          admin
              .key(id)
              .flatMap(
                  k ->
                      own(k, window)
                          .or(
                              () ->
                                  k.userId().flatMap(this::user).flatMap(u -> ofUser(u, window))));
      case TEAM -> team(id).flatMap(t -> ofTeam(t, window));
      case MODEL, DAY -> Optional.empty();
    };
  }

  Optional<Team> team(String id) {
    return teams.computeIfAbsent(id, admin::team);
  }

  Optional<User> user(String id) {
    return users.computeIfAbsent(id, admin::user);
  }

  private Optional<Money> ofUser(User u, BudgetWindow w) {
    // The core's one rule: the user's own limit for a window, else the team's per-member limit.
    return find(u.effectiveBudgets(u.teamId().flatMap(this::team)), w);
  }

  private static Optional<Money> own(VirtualKey k, BudgetWindow w) {
    return find(k.budgets(), w);
  }

  private Optional<Money> ofTeam(Team t, BudgetWindow w) {
    Optional<Money> cap = find(t.teamBudgets(), w);
    if (cap.isPresent()) {
      return cap;
    }
    long members =
        admin.users(UserQuery.builder(PageRequest.first(1)).team(t.id()).build()).total();
    return find(t.memberBudgets(), w)
        .map(m -> Money.ofNanos(Math.multiplyExact(m.nanos(), members)));
  }

  private static Optional<Money> find(List<BudgetLimit> limits, BudgetWindow w) {
    return limits.stream().filter(l -> l.window() == w).map(BudgetLimit::limit).findFirst();
  }
}
