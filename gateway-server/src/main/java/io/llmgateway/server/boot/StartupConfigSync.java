package io.llmgateway.server.boot;

import io.llmgateway.config.ConfigFiles;
import io.llmgateway.config.ConfigSync;
import io.llmgateway.config.Tier;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.Principal;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the models file and the tiers file at startup through {@link ConfigSync} (idempotent,
 * audited like any admin change), after checking that every tier's models exist; deployments that
 * came from the models file but are no longer in it are removed. A rebuilt stack therefore needs no
 * manual re-adding of models or teams. Stateless.
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
    List<ConfigSync.Change> changes =
        new java.util.ArrayList<>(
            ConfigSync.syncModels(admin, Principal.MASTER, deployments, false));
    removeStale(admin, deployments);
    changes.addAll(ConfigSync.syncTiers(admin, Principal.MASTER, tiers, false));
    long changed = changes.stream().filter(c -> c.action() != ConfigSync.Action.UNCHANGED).count();
    log.info(
        "applied {} deployment(s) from {} and {} tier(s) from {} ({} changed)",
        deployments.size(),
        modelsFile,
        tiers.size(),
        tiersFile,
        changed);
    return new Result(tiers, deployments);
  }

  /** The models file is the truth for the deployments it once defined. */
  private static void removeStale(AdminService admin, List<Deployment> deployments) {
    Set<String> ids = new HashSet<>();
    deployments.forEach(d -> ids.add(d.id()));
    for (LogicalModel m : admin.models(Principal.MASTER)) {
      for (Deployment d : m.deployments()) {
        if (d.source() == Deployment.Source.CONFIG && !ids.contains(d.id())) {
          admin.deleteDeployment(Principal.MASTER, d.id());
          log.info("removed deployment {}: no longer in the models file", d.id());
        }
      }
    }
  }
}
