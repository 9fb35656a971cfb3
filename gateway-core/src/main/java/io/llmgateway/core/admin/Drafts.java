package io.llmgateway.core.admin;

import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds a command from a form's or body's draft. A draft that is refused anyway (a field could not
 * be parsed or is invalid) also has its references checked here, so the caller hears "team 'x' does
 * not exist" in the same answer as "daily budget must be a number" instead of on the next try. A
 * draft with nothing else wrong reaches the service as before, which answers a missing or hidden
 * team with {@code NotFoundException}. More reference checks (models ...) belong in {@link
 * #references}. Stateless apart from the context; thread-safe.
 */
final class Drafts {
  private final AdminContext ctx;

  Drafts(AdminContext ctx) {
    this.ctx = ctx;
  }

  <T> T build(Principal actor, Problems problems, Optional<String> team, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidRequestException e) {
      problems.addAll(e);
      references(actor, problems, team);
      throw new InvalidRequestException(problems.list());
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
