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

  Drafts(AdminContext ctx) {
    this.ctx = ctx;
  }

  /**
   * @param models the draft's model problems as the service would find them ({@link
   *     ModelReferences}), asked only when the draft is refused anyway
   */
  <T> T build(
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
