package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.error.Problem;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Rights;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A team admin can hand out no more than it has, and a member (self-service) no more than its tier
 * gives it. A key such a caller creates or changes is an LLM key whose models, budgets and rate
 * limits are within the caller's {@link Caps}; a limit the caps have but the request leaves out is
 * inherited rather than refused (for a team admin). A user a team admin manages gets no admin role,
 * no model outside the team's and no budget above the team's per-member budget.
 */
final class TeamAdminRights {
  private TeamAdminRights() {}

  /**
   * The limits a caller below proxy admin hands out within, besides its team's models.
   *
   * @param who how refusals name the caller ("this team admin's", "your tier's")
   * @param models the caller's own model list (empty: only the team's bound them)
   * @param budgets the highest budget per window a key may get
   * @param rateLimits the highest rate limits a key may get
   * @param inherit whether a key that asks for no limit of a window gets the cap's (a team admin's
   *     keys do; a member's key need not, its user's budgets apply to it anyway)
   */
  record Caps(
      String who,
      List<String> models,
      List<BudgetLimit> budgets,
      RateLimits rateLimits,
      boolean inherit) {}

  /**
   * The caps of {@code actor} handing out a key in {@code team}: a team-admin key's own limits; a
   * team-admin person's team (its per-member budgets); a member's tier (its user's models, its
   * budgets as a member of the team, and its rate limits).
   */
  static Caps capsOf(Principal actor, Optional<Team> team, Optional<User> self) {
    return switch (actor) {
      case Principal.Keyed k ->
          new Caps(
              "this team admin's", k.key().models(), k.key().budgets(), k.key().rateLimits(), true);
      case Principal.Person p when p.grant() instanceof Grant.Member ->
          new Caps(
              "your tier's",
              self.orElseThrow().models(),
              self.orElseThrow().effectiveBudgets(team),
              self.orElseThrow().rateLimits(),
              false);
      default ->
          new Caps(
              "this team admin's",
              List.of(),
              team.map(Team::memberBudgets).orElse(List.of()),
              RateLimits.NONE,
              true);
    };
  }

  /**
   * The key as a team admin or member may hand it out, to {@code owner} (the key's user as it will
   * be, empty for none or a user created with the key): the credential must rank {@code USER} by
   * {@link Rights#of}, so neither an admin key type nor an LLM key of a proxy-admin user passes.
   */
  static VirtualKey bound(Caps caps, Optional<Team> team, VirtualKey key, Optional<User> owner) {
    if (key.role() != KeyRole.LLM_API) {
      throw new PermissionDeniedException("only LLM API keys can be issued here");
    }
    if (Rights.of(key, owner) != Rights.USER) {
      throw new PermissionDeniedException(
          "a key cannot be given to a user whose rights are above your own");
    }
    // Every field over the caps is named at once, so a form shows each next to its input.
    List<Problem> refused = new ArrayList<>();
    Optional<Set<String>> allowed =
        intersect(caps.models(), team.map(Team::models).orElse(List.of()));
    List<String> models = key.models();
    if (allowed.isPresent()) {
      if (models.isEmpty()) {
        models = List.copyOf(allowed.get());
      } else {
        beyond(models, allowed.get(), caps.who()).ifPresent(refused::add);
      }
    }
    List<BudgetLimit> budgets = boundBudgets(key.budgets(), caps, "key budget", refused);
    RateLimits limits = boundRateLimits(key.rateLimits(), caps, refused);
    if (!refused.isEmpty()) {
      throw new PermissionDeniedException(refused);
    }
    return key.toBuilder().models(models).budgets(budgets).rateLimits(limits).build();
  }

  static void check(User user, Team team) {
    if (user.role() == UserRole.PROXY_ADMIN) {
      throw new PermissionDeniedException("a team admin cannot make a user a proxy admin");
    }
    List<Problem> refused = new ArrayList<>();
    if (!team.models().isEmpty()) {
      beyond(user.models(), new LinkedHashSet<>(team.models()), "this team admin's")
          .ifPresent(refused::add);
    }
    boundBudgets(
        user.budgets(),
        new Caps("this team admin's", List.of(), team.memberBudgets(), RateLimits.NONE, false),
        "user budget",
        refused);
    if (!refused.isEmpty()) {
      throw new PermissionDeniedException(refused);
    }
  }

  /**
   * A temporary increase set by a team admin (or member) may raise a budget no higher than the
   * caller could have set that budget itself: base + increase stays within the cap, window by
   * window. Its own team's keys and users only; that is checked before, as for any change.
   */
  static void boundIncrease(Caps caps, List<BudgetLimit> base, BudgetIncrease increase) {
    List<BudgetLimit> raised =
        base.stream().map(b -> new BudgetLimit(b.window(), increase.raised(b.limit()))).toList();
    List<Problem> refused = new ArrayList<>();
    boundBudgets(raised, caps, "raised budget", refused);
    if (!refused.isEmpty()) {
      throw new PermissionDeniedException(
          refused.stream().map(p -> Problem.of("temp_budget_increase", p.message())).toList());
    }
  }

  private static Optional<Set<String>> intersect(List<String> a, List<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return Optional.empty();
    }
    Set<String> result = new LinkedHashSet<>(a.isEmpty() ? b : a);
    if (!a.isEmpty() && !b.isEmpty()) {
      result.retainAll(b);
    }
    return Optional.of(result);
  }

  /** The first of {@code models} outside {@code allowed}, as a refusal of the models field. */
  private static Optional<Problem> beyond(List<String> models, Set<String> allowed, String who) {
    for (String m : models) {
      if (!allowed.contains(m)) {
        return Optional.of(
            Problem.of(
                "models", "model '" + m + "' is beyond " + who + " rights; allowed: " + allowed));
      }
    }
    return Optional.empty();
  }

  /** The budgets within the caps; each window over its cap is added to {@code refused}. */
  private static List<BudgetLimit> boundBudgets(
      List<BudgetLimit> requested, Caps caps, String what, List<Problem> refused) {
    Map<io.llmgateway.core.budget.BudgetWindow, BudgetLimit> result =
        new EnumMap<>(io.llmgateway.core.budget.BudgetWindow.class);
    requested.forEach(b -> result.put(b.window(), b));
    for (BudgetLimit cap : caps.budgets()) {
      BudgetLimit asked = result.get(cap.window());
      if (asked == null) {
        if (caps.inherit()) {
          result.put(cap.window(), cap);
        }
      } else if (asked.limit().compareTo(cap.limit()) > 0) {
        refused.add(
            Problem.of(
                "budgets." + cap.window().label(),
                "a "
                    + cap.window().label()
                    + " "
                    + what
                    + " of "
                    + asked.limit()
                    + " is above "
                    + caps.who()
                    + " "
                    + cap.limit()));
      }
    }
    return new ArrayList<>(result.values());
  }

  private static RateLimits boundRateLimits(RateLimits asked, Caps caps, List<Problem> refused) {
    RateLimits own = caps.rateLimits();
    return new RateLimits(
        bound("rpm", "rpm_limit", asked.rpm(), own.rpm(), caps, refused),
        bound("tpm", "tpm_limit", asked.tpm(), own.tpm(), caps, refused),
        bound(
            "max_parallel_requests",
            "max_parallel_requests",
            asked.maxParallel(),
            own.maxParallel(),
            caps,
            refused));
  }

  private static OptionalLong bound(
      String name,
      String param,
      OptionalLong asked,
      OptionalLong own,
      Caps caps,
      List<Problem> refused) {
    if (own.isEmpty()) {
      return asked;
    }
    if (asked.isEmpty()) {
      return caps.inherit() ? own : asked;
    }
    if (asked.getAsLong() > own.getAsLong()) {
      refused.add(
          Problem.of(
              param,
              name
                  + " of "
                  + asked.getAsLong()
                  + " is above "
                  + caps.who()
                  + " "
                  + own.getAsLong()));
    }
    return asked;
  }
}
