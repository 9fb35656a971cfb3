package io.llmgateway.core.admin;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.User;
import java.util.Optional;

/**
 * What a member (self-service) may ask for when it creates a key: a key of its own user, in its own
 * user's team, while it holds fewer than the member key limit. The key's models, budgets and rate
 * limits are then bounded by its tier like a team admin's ({@link TeamAdminRights#capsOf}).
 */
final class SelfService {
  private SelfService() {}

  /**
   * {@code spec} as the member's own key (its user, its user's team), or unchanged for every other
   * caller. A member naming another user is refused; naming a team other than its own gets what a
   * missing team gets.
   */
  static KeySpec keySpec(AdminContext ctx, Principal actor, KeySpec spec) {
    Optional<String> self = Access.selfUser(actor);
    if (self.isEmpty()) {
      return spec;
    }
    User user = ctx.user(actor, self.get());
    if (spec.userId().isPresent() && !spec.userId().equals(self)) {
      throw Access.denied(actor, "create keys for another user");
    }
    if (spec.teamId().isPresent()) {
      String asked = spec.teamId().get();
      boolean own =
          user.teamId()
              .flatMap(ctx.stores.teams()::findById)
              .map(t -> t.id().equals(asked) || t.alias().equals(asked))
              .orElse(false);
      if (!own) {
        throw AdminContext.noTeam(asked);
      }
    }
    long held =
        ctx.stores.keys().list(KeyQuery.builder(PageRequest.first(1)).user(self).build()).total();
    // Checked before the insert, not in it: two creates racing may both pass at limit - 1 (the
    // limit bounds clutter, not money: every key of the user draws on the user's budgets).
    if (held >= ctx.memberKeyLimit) {
      throw new PermissionDeniedException(
          "a member may hold at most " + ctx.memberKeyLimit + " keys; delete one first");
    }
    // No team: the key takes its user's, found from the user (a member does not see teams).
    return new KeySpec(
        self,
        Optional.empty(),
        spec.alias(),
        spec.role(),
        spec.models(),
        spec.budgets(),
        spec.rateLimits(),
        spec.expiresAt(),
        spec.duration(),
        spec.blocked(),
        spec.metadata(),
        spec.key());
  }
}
