package io.llmgateway.server.metrics;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.WindowPeriod;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-team budget gauges: members, each budget's limit ({@code per} team or member) and the
 * headroom left in each window. Scrapes read a snapshot in memory; the scrape that finds it older
 * than {@link #REFRESH} (server clock) rebuilds it with a bounded read: the first {@link
 * #MAX_TEAMS} teams (one query), the settled spend of all teams today and this month (two
 * spend-report queries) and one member count per team. A failed read keeps the previous snapshot.
 * Thread-safe.
 */
final class TeamBudgetGauges {
  static final Duration REFRESH = Duration.ofSeconds(30);
  static final int MAX_TEAMS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(TeamBudgetGauges.class);

  private final AdminService admin;
  private final Clock clock;
  private final ZoneId zone;
  private final MultiGauge members;
  private final MultiGauge limits;
  private final MultiGauge remaining;
  private Instant refreshedAt;

  TeamBudgetGauges(AdminService admin, Clock clock, ZoneId zone, MeterRegistry registry) {
    this.admin = admin;
    this.clock = clock;
    this.zone = zone;
    this.members =
        MultiGauge.builder("gateway.team.members")
            .description("Members (users) of each team")
            .register(registry);
    this.limits =
        MultiGauge.builder("gateway.team.budget.limit")
            .baseUnit("usd")
            .description("Budget of each team by window; per=team (shared) or member (each)")
            .register(registry);
    this.remaining =
        MultiGauge.builder("gateway.team.budget.remaining")
            .baseUnit("usd")
            .description(
                "Budget left in the window across the team: its shared budget, else members x"
                    + " the member budget, minus the team's settled spend (refreshed every 30 s)")
            .register(registry);
  }

  synchronized void refreshIfStale() {
    Instant now = clock.instant();
    if (refreshedAt != null && now.isBefore(refreshedAt.plus(REFRESH))) {
      return;
    }
    refreshedAt = now;
    try {
      refresh(now);
    } catch (RuntimeException e) {
      // The database is down or slow: keep the last snapshot, say so without a trace.
      LOG.warn("team budget gauges not refreshed: {}", e.getClass().getSimpleName());
    }
  }

  private void refresh(Instant now) {
    List<Team> teams = admin.teams(Principal.MASTER, PageRequest.first(MAX_TEAMS)).items();
    Map<BudgetWindow, Map<String, Money>> spent = new EnumMap<>(BudgetWindow.class);
    for (BudgetWindow w : BudgetWindow.values()) {
      WindowPeriod p = w.periodAt(now, zone);
      Map<String, Money> byTeam = new HashMap<>();
      admin
          .spendReport(Principal.MASTER, SpendGroup.TEAM, p.start(), p.end())
          .forEach(t -> byTeam.put(t.group(), t.cost()));
      spent.put(w, byTeam);
    }
    List<MultiGauge.Row<?>> memberRows = new ArrayList<>();
    List<MultiGauge.Row<?>> limitRows = new ArrayList<>();
    List<MultiGauge.Row<?>> remainingRows = new ArrayList<>();
    for (Team t : teams) {
      long n =
          admin
              .users(Principal.MASTER, UserQuery.builder(PageRequest.first(1)).team(t.id()).build())
              .total();
      memberRows.add(MultiGauge.Row.of(Tags.of("team", t.id()), n));
      for (BudgetWindow w : BudgetWindow.values()) {
        Optional<BudgetLimit> shared = limit(t.teamBudgets(), w);
        Optional<BudgetLimit> each = limit(t.memberBudgets(), w);
        Tags tags = Tags.of("team", t.id(), "window", w.label());
        shared.ifPresent(l -> limitRows.add(row(tags.and("per", "team"), l.limit().nanos())));
        each.ifPresent(l -> limitRows.add(row(tags.and("per", "member"), l.limit().nanos())));
        // The tighter of the shared cap and the members' own budgets together.
        long cap = Long.MAX_VALUE;
        if (shared.isPresent()) {
          cap = shared.get().limit().nanos();
        }
        if (each.isPresent()) {
          cap = Math.min(cap, times(each.get().limit().nanos(), n));
        }
        if (shared.isPresent() || each.isPresent()) {
          long used = spent.get(w).getOrDefault(t.id(), Money.ZERO).nanos();
          remainingRows.add(row(tags, Math.max(0, cap - used)));
        }
      }
    }
    members.register(memberRows, true);
    limits.register(limitRows, true);
    remaining.register(remainingRows, true);
  }

  private static Optional<BudgetLimit> limit(List<BudgetLimit> limits, BudgetWindow w) {
    return limits.stream().filter(l -> l.window() == w).findFirst();
  }

  private static long times(long nanos, long n) {
    return n != 0 && nanos > Long.MAX_VALUE / n ? Long.MAX_VALUE : nanos * n;
  }

  /** Metrics only: the exact nano-USD amount shown as USD. */
  private static MultiGauge.Row<?> row(Tags tags, long nanos) {
    return MultiGauge.Row.of(tags, nanos / 1e9);
  }
}
