package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.PermissionDeniedException;
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
 * A team admin can hand out no more than it has. A key it creates or changes is an LLM key whose
 * models, budgets and rate limits are within the admin's own; a limit the admin has but the request
 * leaves out is inherited rather than refused. A user it manages gets no admin role, no model
 * outside the team's and no budget above the team's per-member budget.
 */
final class TeamAdminRights {
  private TeamAdminRights() {}

  /**
   * The key as a team admin may hand it out, to {@code owner} (the key's user as it will be, empty
   * for none or a user created with the key): the credential must rank {@code USER} by {@link
   * Rights#of}, so neither an admin key type nor an LLM key of a proxy-admin user passes.
   */
  static VirtualKey bound(Principal.Keyed admin, Team team, VirtualKey key, Optional<User> owner) {
    if (key.role() != KeyRole.LLM_API) {
      throw new PermissionDeniedException("a team admin can only issue LLM API keys");
    }
    if (Rights.of(key, owner) != Rights.USER) {
      throw new PermissionDeniedException(
          "a team admin cannot give a key to a user whose rights are above its own");
    }
    Optional<Set<String>> allowed = intersect(admin.key().models(), team.models());
    List<String> models = key.models();
    if (allowed.isPresent()) {
      if (models.isEmpty()) {
        models = List.copyOf(allowed.get());
      } else {
        requireSubset(models, allowed.get());
      }
    }
    List<BudgetLimit> budgets = boundBudgets(key.budgets(), admin.key().budgets(), "key budget");
    RateLimits limits = boundRateLimits(key.rateLimits(), admin.key().rateLimits());
    return new VirtualKey(
        key.id(),
        key.hash(),
        key.displayPrefix(),
        key.alias(),
        key.userId(),
        key.teamId(),
        key.role(),
        models,
        budgets,
        limits,
        key.blocked(),
        key.expiresAt(),
        key.previousHash(),
        key.graceUntil(),
        key.metadata(),
        key.createdAt(),
        key.updatedAt());
  }

  static void check(User user, Team team) {
    if (user.role() == UserRole.PROXY_ADMIN) {
      throw new PermissionDeniedException("a team admin cannot make a user a proxy admin");
    }
    if (!team.models().isEmpty()) {
      requireSubset(user.models(), new LinkedHashSet<>(team.models()));
    }
    boundBudgets(user.budgets(), team.memberBudgets(), "user budget");
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

  private static void requireSubset(List<String> models, Set<String> allowed) {
    for (String m : models) {
      if (!allowed.contains(m)) {
        throw new PermissionDeniedException(
            "model '" + m + "' is beyond this team admin's rights; allowed: " + allowed);
      }
    }
  }

  private static List<BudgetLimit> boundBudgets(
      List<BudgetLimit> requested, List<BudgetLimit> own, String what) {
    Map<io.llmgateway.core.budget.BudgetWindow, BudgetLimit> result =
        new EnumMap<>(io.llmgateway.core.budget.BudgetWindow.class);
    requested.forEach(b -> result.put(b.window(), b));
    for (BudgetLimit cap : own) {
      BudgetLimit asked = result.get(cap.window());
      if (asked == null) {
        result.put(cap.window(), cap);
      } else if (asked.limit().compareTo(cap.limit()) > 0) {
        throw new PermissionDeniedException(
            "a "
                + cap.window().label()
                + " "
                + what
                + " of "
                + asked.limit()
                + " is above this team admin's "
                + cap.limit());
      }
    }
    return new ArrayList<>(result.values());
  }

  private static RateLimits boundRateLimits(RateLimits asked, RateLimits own) {
    return new RateLimits(
        bound("rpm", asked.rpm(), own.rpm()),
        bound("tpm", asked.tpm(), own.tpm()),
        bound("max_parallel_requests", asked.maxParallel(), own.maxParallel()));
  }

  private static OptionalLong bound(String name, OptionalLong asked, OptionalLong own) {
    if (own.isEmpty()) {
      return asked;
    }
    if (asked.isEmpty()) {
      return own;
    }
    if (asked.getAsLong() > own.getAsLong()) {
      throw new PermissionDeniedException(
          name + " of " + asked.getAsLong() + " is above this team admin's " + own.getAsLong());
    }
    return asked;
  }
}
