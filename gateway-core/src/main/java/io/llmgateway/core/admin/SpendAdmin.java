package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Spend reads behind {@link AdminService}. A team admin sees its team's rows, an LLM key its own
 * user's (or, without a user, its own key's), in reads of rows and of series alike; reports across
 * groups are for proxy admins.
 */
final class SpendAdmin {
  /** Bounds a series' rows: 8 days of hours, 400 days of days. */
  static final long MAX_HOURLY_DAYS = 8;

  static final long MAX_DAILY_DAYS = 400;

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

  /**
   * Spend per time bucket in the budget time zone, scoped like {@link #logs}: a team admin reads
   * its team only, an LLM key its own user's (or key's) rows; asking for anyone else's is refused.
   */
  List<SpendBucket> series(Principal actor, SpendSeriesQuery q) {
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
        .series(q.withKey(f.keyId()).withUser(f.userId()).withTeam(f.teamId()), ctx.zone);
  }

  /** The key, user and team filters of a spend, series or request-log read. */
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
