package io.llmgateway.cli.sync;

import io.llmgateway.cli.admin.Admin;
import io.llmgateway.config.Tier;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the tier teams match {@code tiers.yaml}: one team per tier, id and alias = the tier name
 * (the seed's {@code team_alias}), with the tier's models and per-member daily and monthly budgets.
 * Fields the file does not speak about (team-wide budgets, rate limits, blocked, other metadata)
 * are left as they are. Planning reads only; {@link #apply} changes only what the plan says.
 * Stateless.
 */
public final class TierSync {
  static final String DISPLAY_NAME = "display_name";

  private TierSync() {}

  /** One planned change: what happens to a tier's team, and why. */
  public record Change(String tier, Action action, List<String> differences, Team desired) {
    public Change {
      differences = List.copyOf(differences);
    }
  }

  public static List<Change> plan(List<Tier> tiers, Admin admin, Instant now) {
    List<Change> changes = new ArrayList<>();
    for (Tier tier : tiers) {
      Optional<Team> existing = admin.team(tier.name());
      if (existing.isEmpty()) {
        changes.add(new Change(tier.name(), Action.CREATE, List.of(), create(tier, now)));
      } else {
        Team t = existing.get();
        List<String> diff = differences(t, tier);
        changes.add(
            diff.isEmpty()
                ? new Change(tier.name(), Action.UNCHANGED, diff, t)
                : new Change(tier.name(), Action.UPDATE, diff, update(t, tier, now)));
      }
    }
    return changes;
  }

  public static void apply(List<Change> changes, Admin admin) {
    for (Change c : changes) {
      switch (c.action()) {
        case CREATE -> admin.createTeam(c.desired());
        case UPDATE -> admin.updateTeam(c.desired());
        case UNCHANGED -> {}
      }
    }
  }

  static Team create(Tier tier, Instant now) {
    return new Team(
        tier.name(),
        tier.name(),
        Optional.of(tier.name()),
        tier.allowedModels(),
        List.of(),
        tier.memberBudgets(),
        RateLimits.NONE,
        false,
        Map.of(DISPLAY_NAME, tier.displayName()),
        now,
        now);
  }

  private static Team update(Team t, Tier tier, Instant now) {
    Map<String, Object> metadata = new HashMap<>(t.metadata());
    metadata.put(DISPLAY_NAME, tier.displayName());
    return new Team(
        t.id(),
        t.alias(),
        Optional.of(tier.name()),
        tier.allowedModels(),
        t.teamBudgets(),
        tier.memberBudgets(),
        t.rateLimits(),
        t.blocked(),
        metadata,
        t.createdAt(),
        now);
  }

  private static List<String> differences(Team t, Tier tier) {
    List<String> d = new ArrayList<>();
    if (!t.models().equals(tier.allowedModels())) {
      d.add("models " + t.models() + " -> " + tier.allowedModels());
    }
    for (BudgetLimit want : tier.memberBudgets()) {
      Optional<BudgetLimit> have =
          t.memberBudgets().stream().filter(l -> l.window() == want.window()).findFirst();
      if (have.isEmpty() || !have.get().limit().equals(want.limit())) {
        d.add(
            want.window().label()
                + " budget per member "
                + have.map(h -> h.limit().toString()).orElse("none")
                + " -> "
                + want.limit());
      }
    }
    if (!t.tier().equals(Optional.of(tier.name()))) {
      d.add("tier " + t.tier().orElse("none") + " -> " + tier.name());
    }
    if (!tier.displayName().equals(t.metadata().get(DISPLAY_NAME))) {
      d.add(
          "name "
              + Optional.ofNullable(t.metadata().get(DISPLAY_NAME)).orElse("none")
              + " -> "
              + tier.displayName());
    }
    return d;
  }
}
