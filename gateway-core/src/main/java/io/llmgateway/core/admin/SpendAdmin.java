package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Spend reads behind {@link AdminService}. Proxy admins and viewers see every row; a team admin its
 * teams' rows; an LLM key or a member its own user's (or, a key without a user, its own key's).
 * Reports add up the same rows: every row for proxy admins and viewers, a team admin's teams', a
 * member's own; an LLM key gets none.
 */
final class SpendAdmin {
  /** Bounds a series' rows: 8 days of hours, 400 days of days. */
  static final long MAX_HOURLY_DAYS = 8;

  static final long MAX_DAILY_DAYS = 400;

  private final AdminContext ctx;

  SpendAdmin(AdminContext ctx) {
    this.ctx = ctx;
  }

  /** The spend rows {@code actor} may read, after this instance's queued spend is written. */
  Page<SpendRecord> logs(Principal actor, SpendQuery q) {
    ctx.flushSpend.run();
    return rows(actor, q);
  }

  private Page<SpendRecord> rows(Principal actor, SpendQuery q) {
    Set<String> own = Access.adminTeams(actor);
    if (!Access.readsAll(actor) && own.size() > 1 && q.teamId().isEmpty()) {
      // A team admin of several teams without a team filter: each team's rows in turn.
      return Pages.concat(
          new TreeSet<>(own)
              .stream()
                  .<Function<PageRequest, Page<SpendRecord>>>map(
                      t -> p -> rows(actor, q.toBuilder().teamId(t).page(p).build()))
                  .toList(),
          q.page());
    }
    Scope scope = scope(actor, new Scope(q.keyId(), q.userId(), q.teamId()), "spend");
    return ctx.stores
        .spendLog()
        .query(
            q.toBuilder()
                .keyId(scope.keyId())
                .userId(scope.userId())
                .teamId(scope.teamId())
                .build());
  }

  /**
   * Spend per time bucket in the budget time zone, scoped like {@link #logs}: a team admin reads
   * its team only, an LLM key its own user's (or key's) rows; asking for anyone else's is refused.
   */
  List<SpendBucket> series(Principal actor, SpendSeriesQuery q) {
    ctx.flushSpend.run();
    long maxDays = q.bucket() == SpendSeriesQuery.Bucket.HOUR ? MAX_HOURLY_DAYS : MAX_DAILY_DAYS;
    if (Duration.between(q.from(), q.to()).compareTo(Duration.ofDays(maxDays)) > 0) {
      throw new InvalidRequestException(
          "a series of "
              + q.bucket().name().toLowerCase(java.util.Locale.ROOT)
              + "ly buckets spans at most "
              + maxDays
              + " days",
          "start_date");
    }
    Scope f = scope(actor, new Scope(q.keyId(), q.userId(), q.teamId()), "spend");
    return ctx.stores
        .spendLog()
        .series(
            q.toBuilder().keyId(f.keyId()).userId(f.userId()).teamId(f.teamId()).build(), ctx.zone);
  }

  /** The key, user and team filters of a spend, series or request-log read. */
  record Scope(Optional<String> keyId, Optional<String> userId, Optional<String> teamId) {}

  /**
   * Narrows the filters asked for to what {@code actor} may read, in one place for every log read
   * (spend rows, series and the request log): proxy admins and viewers read anything, a team admin
   * its teams' rows (naming one when it has several), an LLM key or a member its own user's (a key
   * without a user, its own key's). Asking for someone else's is refused.
   */
  Scope scope(Principal actor, Scope asked, String what) {
    Optional<String> team = asked.teamId().map(t -> ctx.findTeam(t).map(Team::id).orElse(t));
    if (Access.readsAll(actor)) {
      return new Scope(asked.keyId(), asked.userId(), team);
    }
    Set<String> own = Access.adminTeams(actor);
    if (!own.isEmpty()) {
      if (team.isPresent()) {
        if (!own.contains(team.get())) {
          throw Access.denied(actor, "read another team's " + what);
        }
        return new Scope(asked.keyId(), asked.userId(), team);
      }
      if (own.size() == 1) {
        return new Scope(asked.keyId(), asked.userId(), Optional.of(own.iterator().next()));
      }
      throw new InvalidRequestException(
          "name one of your teams (" + String.join(", ", new TreeSet<>(own)) + ") to read " + what,
          "team_id");
    }
    Optional<String> ownUser = Access.ownUserId(actor);
    if (ownUser.isPresent()) {
      requireNarrowing(actor, asked.userId(), ownUser, "read another user's " + what);
      return new Scope(asked.keyId(), ownUser, team);
    }
    Optional<String> ownKey = Access.ownKeyId(actor);
    requireNarrowing(actor, asked.keyId(), ownKey, "read another key's " + what);
    return new Scope(ownKey, asked.userId(), team);
  }

  List<SpendTotal> report(Principal actor, SpendGroup group, Instant from, Instant to) {
    ctx.flushSpend.run();
    SpendScope scope = scope(actor);
    requireRange(from, to);
    return ctx.stores.spendLog().report(group, from, to, ctx.zone, scope);
  }

  /**
   * Every record that ended in {@code [from, to)} to {@code sink}, after this instance's queued
   * spend is written; proxy admins and viewers only (the rows name every key, user and team).
   */
  void export(Principal actor, Instant from, Instant to, Consumer<SpendRecord> sink) {
    Access.requireReadsAll(actor, "export spend");
    requireRange(from, to);
    ctx.flushSpend.run();
    ctx.stores.spendLog().export(from, to, sink);
  }

  private static void requireRange(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new InvalidRequestException("start must be before end", "start_date");
    }
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
}
