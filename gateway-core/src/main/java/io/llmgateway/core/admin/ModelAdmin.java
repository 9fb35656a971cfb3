package io.llmgateway.core.admin;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model catalogue operations behind {@link AdminService}. Deployments from the config file win over
 * API ones of the same id, so the API cannot overwrite them.
 */
final class ModelAdmin {
  private final AdminContext ctx;

  ModelAdmin(AdminContext ctx) {
    this.ctx = ctx;
  }

  Deployment upsert(Principal actor, Deployment deployment) {
    Access.requireAdministers(actor, "change models");
    Access.requireProxyAdmin(actor, "change models");
    Optional<Deployment> old = ctx.stores.catalog().deployment(deployment.id());
    if (old.isPresent()
        && old.get().source() == Deployment.Source.CONFIG
        && deployment.source() == Deployment.Source.API) {
      throw new ConflictException(
          "deployment '" + deployment.id() + "' is defined in the models file; change it there");
    }
    ctx.stores.catalog().upsert(deployment);
    ctx.record(
        actor,
        old.isPresent() ? "model.update" : "model.create",
        "model",
        deployment.id(),
        old.map(Snapshots::of).orElse(Map.of()),
        Snapshots.of(deployment),
        new Invalidation.All());
    return deployment;
  }

  /**
   * Deletes a deployment, even the last one of a model that teams, users or keys still name (the
   * seed's own script does that, and LiteLLM allows it): their calls to it answer "unknown model"
   * until a deployment of that name is added again, and their other settings stay editable, since
   * {@link ModelReferences} checks only names a change adds.
   */
  void delete(Principal actor, String deploymentId) {
    Access.requireAdministers(actor, "delete models");
    Access.requireProxyAdmin(actor, "delete models");
    Deployment old =
        ctx.stores
            .catalog()
            .deployment(deploymentId)
            .orElseThrow(
                () -> new NotFoundException("deployment '" + deploymentId + "' does not exist"));
    ctx.stores.catalog().delete(deploymentId);
    ctx.record(
        actor,
        "model.delete",
        "model",
        deploymentId,
        Snapshots.of(old),
        Map.of(),
        new Invalidation.All());
  }

  /**
   * Every model for proxy admins and viewers; for a key, only the models its key, user and team all
   * allow; for a team admin person, those any of its teams allows; for a member, those its user and
   * team allow.
   */
  List<LogicalModel> models(Principal actor) {
    List<LogicalModel> all = ctx.stores.catalog().models();
    if (Access.readsAll(actor)) {
      return all;
    }
    return switch (actor) {
      case Principal.Keyed k ->
          all.stream()
              .filter(m -> k.key().models().isEmpty() || k.key().models().contains(m.name()))
              .filter(
                  m ->
                      k.user()
                          .map(u -> u.models().isEmpty() || u.models().contains(m.name()))
                          .orElse(true))
              .filter(m -> k.team().map(t -> t.allowsModel(m.name())).orElse(true))
              .toList();
      case Principal.Person p -> {
        Optional<String> self = Access.selfUser(p);
        if (self.isPresent()) {
          Optional<User> user = ctx.stores.users().findById(self.get());
          Optional<Team> team = user.flatMap(User::teamId).flatMap(ctx.stores.teams()::findById);
          yield user.isEmpty()
              ? List.of()
              : all.stream()
                  .filter(
                      m -> user.get().models().isEmpty() || user.get().models().contains(m.name()))
                  .filter(m -> team.map(t -> t.allowsModel(m.name())).orElse(true))
                  .toList();
        }
        List<Team> teams =
            Access.adminTeams(p).stream()
                .flatMap(id -> ctx.stores.teams().findById(id).stream())
                .toList();
        yield all.stream()
            .filter(m -> teams.stream().anyMatch(t -> t.allowsModel(m.name())))
            .toList();
      }
      case Principal.Master m -> all;
    };
  }
}
