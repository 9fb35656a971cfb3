package io.llmgateway.core.admin;

import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds a command from a form's or body's draft. A draft that is refused anyway (a field could not
 * be parsed or is invalid) also has its references checked here, so the caller hears "team 'x' does
 * not exist" and "unknown model 'y'" in the same answer as "daily budget must be a number" instead
 * of on the next try. A draft with nothing else wrong reaches the service as before, which answers
 * a missing or hidden team with {@code NotFoundException} and a wrong model with its {@link
 * ModelReferences} refusal. Stateless apart from the context; thread-safe.
 */
final class Drafts {
  private final AdminContext ctx;
  private final TeamAdmin teams;
  private final UserAdmin users;
  private final KeyAdmin keys;

  Drafts(AdminContext ctx, TeamAdmin teams, UserAdmin users, KeyAdmin keys) {
    this.ctx = ctx;
    this.teams = teams;
    this.users = users;
    this.keys = keys;
  }

  /** A new team's spec; its models are checked as {@code TeamAdmin.create} checks them. */
  TeamSpec team(Principal actor, TeamSpec.Builder draft) {
    return build(
        actor,
        draft.problems(),
        Optional.empty(),
        () -> teams.modelProblems(Optional.empty(), draft.modelsRef()),
        draft::build);
  }

  /** A team's patch; a narrowing under its users' and keys' models is a problem too. */
  TeamPatch team(Principal actor, String teamIdOrAlias, TeamPatch.Builder draft) {
    return build(
        actor,
        draft.problems(),
        Optional.empty(),
        () -> teams.modelProblems(teamIdOrAlias, draft.modelsRef()),
        draft::build);
  }

  /** A new user's spec; an unknown team is a problem too. */
  UserSpec user(Principal actor, UserSpec.Builder draft) {
    return build(
        actor,
        draft.problems(),
        draft.teamRef(),
        () -> users.modelProblems(actor, draft.teamRef(), draft.modelsRef()),
        draft::build);
  }

  /** A user's patch. */
  UserPatch user(Principal actor, String userId, UserPatch.Builder draft) {
    return build(
        actor,
        draft.problems(),
        draft.teamRef(),
        () -> users.modelProblems(actor, userId, draft.teamRef(), draft.modelsRef()),
        draft::build);
  }

  /** A new key's spec. */
  KeySpec key(Principal actor, KeySpec.Builder draft) {
    return build(
        actor,
        draft.problems(),
        draft.teamRef(),
        () -> keys.modelProblems(actor, draft.teamRef(), draft.userRef(), draft.modelsRef()),
        draft::build);
  }

  /** A key's patch. */
  KeyPatch key(Principal actor, String keyRef, KeyPatch.Builder draft) {
    return build(
        actor,
        draft.problems(),
        draft.teamRef(),
        () ->
            keys.modelProblems(actor, keyRef, draft.teamRef(), draft.userRef(), draft.modelsRef()),
        draft::build);
  }

  /**
   * @param models the draft's model problems as the service would find them ({@link
   *     ModelReferences}), asked only when the draft is refused anyway
   */
  private <T> T build(
      Principal actor,
      Problems problems,
      Optional<String> team,
      Supplier<List<ModelReferences.Problem>> models,
      Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidRequestException e) {
      problems.addAll(e);
      references(actor, problems, team);
      if (!problems.has("models")) {
        modelProblems(models).ifPresent(found -> ModelReferences.record(found, problems));
      }
      throw new InvalidRequestException(problems.list());
    }
  }

  /**
   * The model problems, if they can be found: an object that does not exist or may not be seen is
   * refused on its own (404) once the draft is right, so it adds nothing here.
   */
  private static Optional<List<ModelReferences.Problem>> modelProblems(
      Supplier<List<ModelReferences.Problem>> models) {
    try {
      return Optional.of(models.get());
    } catch (GatewayException e) {
      return Optional.empty();
    }
  }

  /** Records what the draft names that does not exist (or that the actor may not see: the same). */
  private void references(Principal actor, Problems problems, Optional<String> team) {
    team.filter(t -> !problems.has("team_id"))
        .ifPresent(
            t -> {
              try {
                ctx.team(actor, t);
              } catch (NotFoundException e) {
                problems.add("team_id", e.getMessage());
              }
            });
  }
}
