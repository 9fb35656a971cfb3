package io.llmgateway.config;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies {@code tiers.yaml} and {@code models.yaml} to the gateway through {@link AdminService}
 * (so the changes are permission-checked and audited like any other), idempotently: running it
 * twice changes nothing the second time. A dry run returns the same plan without changing anything.
 *
 * <p>A tier becomes a team whose id and alias are the tier's key ({@code drafting}), whose models
 * are its allowed models and whose per-member budgets are its daily and monthly budgets. A
 * deployment from the models file replaces an API-created one with the same id (the file wins);
 * deployments only created through the API are left alone. Stateless and thread-safe.
 */
public final class ConfigSync {

  /** What a sync does (or would do) to one object. */
  public enum Action {
    CREATE,
    UPDATE,
    UNCHANGED
  }

  /** One line of a sync plan. */
  public record Change(Action action, String kind, String id, String detail) {}

  /**
   * Where a sync reads and writes teams and deployments: the core's {@link AdminService} as an
   * actor ({@link #target}), or the admin API (gateway-admin's {@code --url} mode), so both apply
   * the same plan.
   */
  public interface Target {
    /** A team by id or alias; empty if none (or not the actor's to see). */
    Optional<Team> team(String id);

    void createTeam(TeamSpec spec);

    void updateTeam(String teamId, TeamPatch patch);

    List<LogicalModel> models();

    void upsertDeployment(Deployment deployment);

    /**
     * Whether a deployment already is as wanted. Equal, by default; a target that cannot see every
     * field (the admin API shows no endpoint) says what it compares.
     */
    default boolean unchanged(Deployment before, Deployment wanted) {
      return before.equals(wanted);
    }
  }

  private ConfigSync() {}

  /** The core's admin service acting as {@code actor}. */
  public static Target target(AdminService admin, Principal actor) {
    return new Target() {
      @Override
      public Optional<Team> team(String id) {
        try {
          return Optional.of(admin.team(actor, id));
        } catch (NotFoundException e) {
          return Optional.empty();
        }
      }

      @Override
      public void createTeam(TeamSpec spec) {
        admin.createTeam(actor, spec);
      }

      @Override
      public void updateTeam(String teamId, TeamPatch patch) {
        admin.updateTeam(actor, teamId, patch);
      }

      @Override
      public List<LogicalModel> models() {
        return admin.models(actor);
      }

      @Override
      public void upsertDeployment(Deployment deployment) {
        admin.upsertDeployment(actor, deployment);
      }
    };
  }

  public static List<Change> syncTiers(
      AdminService admin, Principal actor, List<Tier> tiers, boolean dryRun) {
    return syncTiers(target(admin, actor), tiers, dryRun);
  }

  public static List<Change> syncTiers(Target admin, List<Tier> tiers, boolean dryRun) {
    List<Change> plan = new ArrayList<>();
    for (Tier tier : tiers) {
      try {
        syncTier(admin, tier, dryRun, plan);
      } catch (InvalidRequestException e) {
        // The admin service's own refusal (an unknown model, say), named by the tier it came from.
        throw new ConfigException("tier '" + tier.name() + "': " + e.getMessage(), e);
      }
    }
    return List.copyOf(plan);
  }

  private static void syncTier(Target admin, Tier tier, boolean dryRun, List<Change> plan) {
    Optional<Team> existing = admin.team(tier.name());
    if (existing.isEmpty()) {
      plan.add(new Change(Action.CREATE, "team", tier.name(), describe(tier)));
      if (!dryRun) {
        admin.createTeam(
            new TeamSpec(
                Optional.of(tier.name()),
                tier.name(),
                Optional.of(tier.name()),
                tier.allowedModels(),
                List.of(),
                tier.memberBudgets(),
                RateLimits.NONE,
                Map.of("display_name", tier.displayName())));
      }
    } else if (matches(existing.get(), tier)) {
      plan.add(new Change(Action.UNCHANGED, "team", tier.name(), describe(tier)));
    } else {
      plan.add(new Change(Action.UPDATE, "team", tier.name(), describe(tier)));
      if (!dryRun) {
        admin.updateTeam(
            existing.get().id(),
            new TeamPatch(
                Optional.empty(),
                Optional.of(tier.name()),
                Optional.of(tier.allowedModels()),
                Optional.empty(),
                Optional.of(tier.memberBudgets()),
                Optional.empty(),
                Optional.empty(),
                Optional.of(withDisplayName(existing.get().metadata(), tier.displayName())),
                Optional.empty()));
      }
    }
  }

  public static List<Change> syncModels(
      AdminService admin, Principal actor, List<Deployment> deployments, boolean dryRun) {
    return syncModels(target(admin, actor), deployments, dryRun);
  }

  public static List<Change> syncModels(
      Target admin, List<Deployment> deployments, boolean dryRun) {
    Map<String, Deployment> current =
        admin.models().stream()
            .map(LogicalModel::deployments)
            .flatMap(List::stream)
            .collect(Collectors.toMap(Deployment::id, Function.identity()));
    List<Change> plan = new ArrayList<>();
    var seen = new HashSet<String>();
    for (Deployment d : deployments) {
      if (!seen.add(d.id())) {
        throw new ConfigException("duplicate deployment id '" + d.id() + "'");
      }
      Deployment before = current.get(d.id());
      Action action =
          before == null
              ? Action.CREATE
              : admin.unchanged(before, d) ? Action.UNCHANGED : Action.UPDATE;
      plan.add(
          new Change(
              action,
              "model",
              d.id(),
              d.modelName() + " -> " + d.provider() + "/" + d.providerModelId()));
      if (!dryRun && action != Action.UNCHANGED) {
        admin.upsertDeployment(d);
      }
    }
    return List.copyOf(plan);
  }

  private static boolean matches(Team team, Tier tier) {
    return team.models().equals(tier.allowedModels())
        && new HashSet<>(team.memberBudgets()).equals(new HashSet<>(tier.memberBudgets()))
        && team.tier().equals(Optional.of(tier.name()))
        && tier.displayName().equals(team.metadata().get("display_name"));
  }

  private static Map<String, Object> withDisplayName(Map<String, Object> metadata, String name) {
    var copy = new java.util.HashMap<>(metadata);
    copy.put("display_name", name);
    return Map.copyOf(copy);
  }

  private static String describe(Tier tier) {
    return "models "
        + String.join(",", tier.allowedModels())
        + "; per member "
        + tier.daily()
        + "/day, "
        + tier.monthly()
        + "/month";
  }
}
