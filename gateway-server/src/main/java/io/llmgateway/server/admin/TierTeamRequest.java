package io.llmgateway.server.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.money.Money;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code /team/new} naming a tier team that already exists (the seed README's step 7 on a server
 * that applied config/tiers.yaml). The seed's LiteLLM request puts the tier's daily budget in
 * {@code max_budget}; here a tier's budgets apply per member, so a request agrees with the tier
 * when its models are the tier's and each budget it gives equals the tier's member budget for the
 * same window. Then the existing team is the answer (nothing changes); otherwise {@link
 * #differences} names what disagrees for the 409.
 */
record TierTeamRequest(
    Optional<String> teamId,
    Optional<String> tier,
    List<String> models,
    List<BudgetLimit> teamBudgets,
    List<BudgetLimit> memberBudgets,
    RateLimits rateLimits,
    Map<String, Object> metadata) {

  /** What in this request disagrees with {@code team}; empty when the request agrees. */
  List<String> differences(Team team) {
    List<String> out = new ArrayList<>();
    teamId
        .filter(id -> !id.equals(team.id()))
        .ifPresent(id -> out.add("team_id '" + id + "' (tier: '" + team.id() + "')"));
    tier.filter(t -> !team.tier().equals(Optional.of(t)))
        .ifPresent(t -> out.add("tier '" + t + "' (tier: '" + team.tier().orElse("") + "')"));
    if (!new HashSet<>(models).equals(new HashSet<>(team.models()))) {
      out.add("models " + models + " (tier: " + team.models() + ")");
    }
    List<BudgetLimit> asked = new ArrayList<>(teamBudgets);
    asked.addAll(memberBudgets);
    for (BudgetLimit b : asked) {
      Optional<BudgetLimit> tierLimit =
          team.memberBudgets().stream().filter(m -> m.window() == b.window()).findFirst();
      if (tierLimit.map(m -> !m.limit().equals(b.limit())).orElse(true)) {
        out.add(
            b.window().label()
                + " budget $"
                + b.limit().toUsdString()
                + " (tier: "
                + tierLimit.map(m -> usd(m.limit()) + " per member").orElse("none")
                + ")");
      }
    }
    if (!rateLimits.equals(RateLimits.NONE) && !rateLimits.equals(team.rateLimits())) {
      out.add("rate limits (rpm_limit, tpm_limit, max_parallel_requests) differ from the tier's");
    }
    if (!metadata.isEmpty() && !team.metadata().entrySet().containsAll(metadata.entrySet())) {
      out.add("metadata differs from the tier's");
    }
    return out;
  }

  /** The note of a 200: the team exists as a tier and its budgets apply to each member. */
  static String note(Team team) {
    StringBuilder budgets = new StringBuilder();
    for (BudgetLimit b : team.memberBudgets()) {
      budgets.append(budgets.isEmpty() ? "" : " and ");
      budgets.append(usd(b.limit())).append(' ').append(b.window().label());
    }
    return "team '"
        + team.alias()
        + "' already exists as tier '"
        + team.tier().orElse(team.id())
        + "' (config/tiers.yaml) and agrees with this request; nothing was changed. The tier's"
        + " budgets apply per member: each member gets its own "
        + (budgets.isEmpty() ? "(no)" : budgets)
        + " budget, not one shared by the team.";
  }

  /** Dollars with at least cents ({@code $0.50}, {@code $0.017}), exact. */
  private static String usd(Money m) {
    java.math.BigDecimal d = m.toUsd();
    return "$" + d.setScale(Math.max(2, d.stripTrailingZeros().scale())).toPlainString();
  }
}
