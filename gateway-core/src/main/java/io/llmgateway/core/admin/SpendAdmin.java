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
    Optional<String> team = q.teamId().map(t -> ctx.findTeam(t).map(Team::id).orElse(t));
    SpendQuery query =
        new SpendQuery(
            q.keyId(), q.userId(), team, q.model(), q.requestId(), q.from(), q.to(), q.page());
    if (actor.isProxyAdmin()) {
      return ctx.stores.spendLog().query(query);
    }
    Optional<String> own = Access.adminTeam(actor);
    if (own.isPresent()) {
      requireNarrowing(query.teamId(), own, "read another team's spend");
      return ctx.stores.spendLog().query(withTeam(query, own));
    }
    Optional<String> ownUser = Access.ownUserId(actor);
    if (ownUser.isPresent()) {
      requireNarrowing(query.userId(), ownUser, "read another user's spend");
      return ctx.stores.spendLog().query(withUser(query, ownUser));
    }
    Optional<String> ownKey = Access.ownKeyId(actor);
    requireNarrowing(query.keyId(), ownKey, "read another key's spend");
    return ctx.stores.spendLog().query(withKey(query, ownKey));
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

  private static SpendQuery withTeam(SpendQuery q, Optional<String> team) {
    return new SpendQuery(
        q.keyId(), q.userId(), team, q.model(), q.requestId(), q.from(), q.to(), q.page());
  }

  private static SpendQuery withUser(SpendQuery q, Optional<String> user) {
    return new SpendQuery(
        q.keyId(), user, q.teamId(), q.model(), q.requestId(), q.from(), q.to(), q.page());
  }

  private static SpendQuery withKey(SpendQuery q, Optional<String> key) {
    return new SpendQuery(
        key, q.userId(), q.teamId(), q.model(), q.requestId(), q.from(), q.to(), q.page());
  }
}
