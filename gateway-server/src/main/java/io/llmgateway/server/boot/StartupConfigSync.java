package io.llmgateway.server.boot;

import io.llmgateway.config.ConfigFiles;
import io.llmgateway.config.Tier;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the models file and the tiers file to the database at startup, idempotently: every
 * deployment of the file is upserted (only when it changed), config deployments no longer in the
 * file are removed, and every tier becomes a team (id and alias = the tier name) with the tier's
 * models and per-member daily and monthly budgets. A rebuilt stack therefore needs no manual
 * re-adding of models or teams. Teams and API-added models not in the files are left alone.
 * Stateless.
 */
public final class StartupConfigSync {
  private static final Logger log = LoggerFactory.getLogger(StartupConfigSync.class);

  private StartupConfigSync() {}

  /** What was applied, for the startup banner. */
  public record Result(List<Tier> tiers, List<Deployment> deployments) {}

  public static Result apply(AdminService admin, Path modelsFile, Path tiersFile) {
    List<Deployment> deployments = ConfigFiles.models(modelsFile);
    List<Tier> tiers = ConfigFiles.tiers(tiersFile);
    Set<String> modelNames = new HashSet<>();
    deployments.forEach(d -> modelNames.add(d.modelName()));
    for (Tier t : tiers) {
      for (String m : t.allowedModels()) {
        if (!modelNames.contains(m)) {
          throw new ConfigError(
              tiersFile
                  + ": tier '"
                  + t.name()
                  + "' allows model '"
                  + m
                  + "', which "
                  + modelsFile
                  + " does not define; add it there or fix the tier");
        }
      }
    }
    syncModels(admin, deployments);
    tiers.forEach(t -> syncTier(admin, t));
    log.info(
        "applied {} deployment(s) from {} and {} tier(s) from {}",
        deployments.size(),
        modelsFile,
        tiers.size(),
        tiersFile);
    return new Result(tiers, deployments);
  }

  private static void syncModels(AdminService admin, List<Deployment> deployments) {
    Set<String> ids = new HashSet<>();
    for (Deployment d : deployments) {
      ids.add(d.id());
      Optional<Deployment> existing = find(admin, d.id());
      if (existing.isEmpty() || !existing.get().equals(d)) {
        admin.upsertDeployment(Principal.MASTER, d);
      }
    }
    for (LogicalModel m : admin.models(Principal.MASTER)) {
      for (Deployment d : m.deployments()) {
        if (d.source() == Deployment.Source.CONFIG && !ids.contains(d.id())) {
          admin.deleteDeployment(Principal.MASTER, d.id());
          log.info("removed deployment {}: no longer in the models file", d.id());
        }
      }
    }
  }

  private static Optional<Deployment> find(AdminService admin, String id) {
    return admin.models(Principal.MASTER).stream()
        .flatMap(m -> m.deployments().stream())
        .filter(d -> d.id().equals(id))
        .findFirst();
  }

  private static void syncTier(AdminService admin, Tier tier) {
    Team existing;
    try {
      existing = admin.team(Principal.MASTER, tier.name());
    } catch (NotFoundException e) {
      admin.createTeam(
          Principal.MASTER,
          new TeamSpec(
              Optional.of(tier.name()),
              tier.name(),
              Optional.of(tier.name()),
              tier.allowedModels(),
              List.of(),
              tier.memberBudgets(),
              RateLimits.NONE,
              Map.of("display_name", tier.displayName())));
      return;
    }
    boolean same =
        existing.models().equals(tier.allowedModels())
            && Set.copyOf(existing.memberBudgets()).equals(Set.copyOf(tier.memberBudgets()))
            && existing.tier().equals(Optional.of(tier.name()));
    if (!same) {
      TeamPatch patch =
          new TeamPatch(
              Optional.empty(),
              Optional.of(tier.name()),
              Optional.of(tier.allowedModels()),
              Optional.empty(),
              Optional.of(tier.memberBudgets()),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      admin.updateTeam(Principal.MASTER, existing.id(), patch);
      log.info("updated team {} from the tiers file", existing.id());
    }
  }
}
