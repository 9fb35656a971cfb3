package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Spend reads behind {@link AdminService}. A team admin sees its team's rows, an LLM key its own
 * user's (or, without a user, its own key's); reports across groups are for proxy admins.
 */
final class SpendAdmin {
  private final AdminContext ctx;

  SpendAdmin(AdminContext ctx) {
    this.ctx = ctx;
  }

  Page<SpendRecord> logs(Principal actor, SpendQuery q) {
    Scope scope = scope(actor, new Scope(q.keyId(), q.userId(), q.teamId()), "spend");
    return ctx.stores
        .spendLog()
        .query(
            new SpendQuery(
                scope.keyId(),
                scope.userId(),
                scope.teamId(),
                q.model(),
                q.requestId(),
                q.from(),
                q.to(),
                q.page()));
  }

  /** The key, user and team filters of a request-log read. */
  record Scope(Optional<String> keyId, Optional<String> userId, Optional<String> teamId) {}

  /**
   * Narrows the filters asked for to what {@code actor} may read, in one place for every log read
   * (spend and request log): a proxy admin reads anything, a team admin its team's rows, an LLM key
   * its own user's (or, without a user, its own key's). Asking for someone else's is refused.
   */
  Scope scope(Principal actor, Scope asked, String what) {
    Optional<String> team = asked.teamId().map(t -> ctx.findTeam(t).map(Team::id).orElse(t));
    if (actor.isProxyAdmin()) {
      return new Scope(asked.keyId(), asked.userId(), team);
    }
    Optional<String> own = Access.adminTeam(actor);
    if (own.isPresent()) {
      requireNarrowing(team, own, "read another team's " + what);
      return new Scope(asked.keyId(), asked.userId(), own);
    }
    Optional<String> ownUser = Access.ownUserId(actor);
    if (ownUser.isPresent()) {
      requireNarrowing(asked.userId(), ownUser, "read another user's " + what);
      return new Scope(asked.keyId(), ownUser, team);
    }
    Optional<String> ownKey = Access.ownKeyId(actor);
    requireNarrowing(asked.keyId(), ownKey, "read another key's " + what);
    return new Scope(ownKey, asked.userId(), team);
  }

  List<SpendTotal> report(Principal actor, SpendGroup group, Instant from, Instant to) {
    Access.requireProxyAdmin(actor, "read spend reports");
    if (!from.isBefore(to)) {
      throw new InvalidRequestException("start must be before end", "start_date");
    }
    return ctx.stores.spendLog().report(group, from, to, ctx.zone);
  }

  private static void requireNarrowing(
      Optional<String> asked, Optional<String> own, String action) {
    if (asked.isPresent() && !asked.equals(own)) {
      throw Access.denied(action);
    }
  }
}
