package io.llmgateway.core.admin;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Team operations behind {@link AdminService}. Only proxy admins change teams; viewers read them
 * all, a team admin reads its own.
 */
final class TeamAdmin {
  private final AdminContext ctx;
  private final ModelReferences models;
  private final BudgetSeeds seeds;

  TeamAdmin(AdminContext ctx) {
    this.ctx = ctx;
    this.models = new ModelReferences(ctx);
    this.seeds = new BudgetSeeds(ctx);
  }

  /**
   * The write gate for teams, also asked before a draft is read: only proxy admins change them (the
   * administration gate first, as for every other resource).
   */
  static void requireChanges(Principal actor, String action) {
    Access.requireAdministers(actor, action);
    Access.requireProxyAdmin(actor, action);
  }

  Team create(Principal actor, TeamSpec spec) {
    requireChanges(actor, "create teams");
    ModelReferences.require(modelProblems(Optional.empty(), spec.models()));
    Instant now = ctx.now();
    String id = spec.teamId().orElseGet(() -> idFor(spec.alias()));
    Team team =
        Validation.domain(
            () ->
                new Team(
                    id,
                    spec.alias(),
                    spec.tier(),
                    spec.models(),
                    spec.teamBudgets(),
                    spec.memberBudgets(),
                    spec.rateLimits(),
                    false,
                    spec.metadata(),
                    now,
                    now,
                    Optional.empty()));
    ctx.stores.teams().insert(team);
    ctx.record(
        actor, "team.create", "team", id, Map.of(), Snapshots.of(team), new Invalidation.All());
    return team;
  }

  // The seed creates teams by alias only and then generates keys with "team_id": "drafting", so
  // an alias that is a usable, free id becomes the id.
  private String idFor(String alias) {
    if (InputGrammar.isId(alias) && ctx.stores.teams().findById(alias).isEmpty()) {
      return alias;
    }
    return ApiKeys.newId("team");
  }

  Team update(Principal actor, String teamRef, TeamPatch patch) {
    requireChanges(actor, "change teams");
    Team old = ctx.team(teamRef);
    Validation.requireIncreaseWindow(patch.budgetIncrease(), ctx.now());
    patch
        .models()
        .ifPresent(after -> ModelReferences.require(modelProblems(Optional.of(old), after)));
    Team updated =
        Validation.domain(
            () ->
                new Team(
                    old.id(),
                    patch.alias().orElse(old.alias()),
                    patch.tier().or(old::tier),
                    patch.models().orElse(old.models()),
                    patch.teamBudgets().orElse(old.teamBudgets()),
                    patch.memberBudgets().orElse(old.memberBudgets()),
                    patch.rateLimits().orElse(old.rateLimits()),
                    patch.blocked().orElse(old.blocked()),
                    patch.metadata().orElse(old.metadata()),
                    old.createdAt(),
                    ctx.now(),
                    patch.budgetIncrease().or(old::budgetIncrease)));
    ctx.stores.teams().update(updated);
    seeds.teamChanged(old, updated);
    ctx.record(
        actor,
        "team.update",
        "team",
        old.id(),
        Snapshots.of(old),
        Snapshots.of(updated),
        new Invalidation.All());
    return updated;
  }

  /**
   * The model problems of a team that had {@code old} (none: a new team) and will name {@code
   * after}: unknown names, and, for a list that loses a model, the users and keys it would strand.
   */
  List<ModelReferences.Problem> modelProblems(Optional<Team> old, List<String> after) {
    List<String> before = old.map(Team::models).orElse(List.of());
    List<ModelReferences.Problem> problems =
        new ArrayList<>(
            models.problems("models", before, after, Optional.empty(), Optional.empty()));
    // Only a list that loses a model can strand its users and keys: an unchanged list (a tiers
    // sync changing budgets only) is never refused for what it already allowed.
    boolean narrows = !after.isEmpty() && (before.isEmpty() || !after.containsAll(before));
    if (old.isPresent() && narrows) {
      problems.addAll(models.teamNarrowing(old.get(), after));
    }
    return problems;
  }

  /** The model problems of a change to the team {@code teamRef} (a proxy admin's only). */
  List<ModelReferences.Problem> modelProblems(String teamRef, Optional<List<String>> after) {
    return after.map(a -> modelProblems(Optional.of(ctx.team(teamRef)), a)).orElse(List.of());
  }

  void delete(Principal actor, String teamRef) {
    requireChanges(actor, "delete teams");
    Team old = ctx.team(teamRef);
    ctx.stores.teams().delete(old.id());
    ctx.record(
        actor,
        "team.delete",
        "team",
        old.id(),
        Snapshots.of(old),
        Map.of(),
        new Invalidation.All());
  }

  Team read(Principal actor, String teamRef) {
    return ctx.team(actor, teamRef);
  }

  Page<Team> list(Principal actor, PageRequest page) {
    if (Access.readsAll(actor)) {
      return ctx.stores.teams().list(page);
    }
    Set<String> own = Access.adminTeams(actor);
    if (own.isEmpty()) {
      throw Access.denied(actor, "list teams");
    }
    List<Team> mine =
        new TreeSet<>(own)
            .stream().flatMap(id -> ctx.stores.teams().findById(id).stream()).toList();
    int from = (int) Math.min(page.offset(), mine.size());
    return new Page<>(
        mine.subList(from, Math.min(mine.size(), from + page.size())), mine.size(), page);
  }
}
