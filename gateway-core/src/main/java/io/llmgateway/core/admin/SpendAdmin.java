package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Spend reads behind {@link AdminService}. Proxy admins and viewers see every row; a team admin its
 * teams' rows; an LLM key or a member its own user's (or, a key without a user, its own key's).
 * Reports add up the same rows: every row for proxy admins and viewers, a team admin's teams', a
 * member's own; an LLM key gets none.
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
    if (Access.readsAll(actor)) {
      return ctx.stores.spendLog().query(query);
    }
    Set<String> own = Access.adminTeams(actor);
    if (!own.isEmpty()) {
      if (query.teamId().isPresent() && !own.contains(query.teamId().get())) {
        throw Access.denied(actor, "read another team's spend");
      }
      List<String> teams =
          query.teamId().map(List::of).orElseGet(() -> new TreeSet<>(own).stream().toList());
      return Pages.concat(
          teams.stream()
              .<Function<PageRequest, Page<SpendRecord>>>map(
                  t -> p -> ctx.stores.spendLog().query(withTeam(query, Optional.of(t), p)))
              .toList(),
          query.page());
    }
    Optional<String> ownUser = Access.ownUserId(actor);
    if (ownUser.isPresent()) {
      requireNarrowing(actor, query.userId(), ownUser, "read another user's spend");
      return ctx.stores.spendLog().query(withUser(query, ownUser));
    }
    Optional<String> ownKey = Access.ownKeyId(actor);
    requireNarrowing(actor, query.keyId(), ownKey, "read another key's spend");
    return ctx.stores.spendLog().query(withKey(query, ownKey));
  }

  List<SpendTotal> report(Principal actor, SpendGroup group, Instant from, Instant to) {
    SpendScope scope = scope(actor);
    if (!from.isBefore(to)) {
      throw new InvalidRequestException("start must be before end", "start_date");
    }
    return ctx.stores.spendLog().report(group, from, to, ctx.zone, scope);
  }

  /** The rows {@code actor}'s reports add up; refused for an LLM key. */
  private static SpendScope scope(Principal actor) {
    if (Access.readsAll(actor)) {
      return SpendScope.ALL;
    }
    Set<String> teams = Access.adminTeams(actor);
    if (!teams.isEmpty()) {
      return SpendScope.teams(teams);
    }
    Optional<String> self = Access.selfUser(actor);
    if (self.isPresent()) {
      return SpendScope.user(self.get());
    }
    throw Access.denied(actor, "read spend reports");
  }

  private static void requireNarrowing(
      Principal actor, Optional<String> asked, Optional<String> own, String action) {
    if (asked.isPresent() && !asked.equals(own)) {
      throw Access.denied(actor, action);
    }
  }

  private static SpendQuery withTeam(SpendQuery q, Optional<String> team, PageRequest page) {
    return new SpendQuery(
        q.keyId(), q.userId(), team, q.model(), q.requestId(), q.from(), q.to(), page);
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
