package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.spend.SpendTotal;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The overview: spend today and this month, each team against its budgets, top users, refusals and
 * errors, and 30-day charts, all from {@code AdminService.spendReport}, {@code spendLogs} and
 * {@code budgetStatus}. Refusal counts come from this instance's metrics (since it started).
 * Thread-safe.
 */
final class OverviewPage extends UiPage {
  private static final int CHART_DAYS = 30;
  private static final int ERROR_SCAN_ROWS = 5_000;

  OverviewPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Map<String, SpendTotal> teamToday =
        ui.totalsSince(session, SpendGroup.TEAM, BudgetWindow.DAILY);
    Map<String, SpendTotal> teamMonth =
        ui.totalsSince(session, SpendGroup.TEAM, BudgetWindow.MONTHLY);
    Map<String, SpendTotal> userToday =
        ui.totalsSince(session, SpendGroup.USER, BudgetWindow.DAILY);
    Map<String, SpendTotal> userMonth =
        ui.totalsSince(session, SpendGroup.USER, BudgetWindow.MONTHLY);
    SpendTotal today = sum(teamToday);
    SpendTotal month = sum(teamMonth);

    List<Team> teams = ui.admin.teams(ui.actor(session), PageRequest.first(200)).items();
    List<OverviewView.TeamRow> teamRows =
        teams.stream().map(t -> teamRow(t, teamToday, teamMonth)).toList();
    List<OverviewView.UserRow> topUsers =
        userMonth.values().stream()
            .sorted(java.util.Comparator.comparing(SpendTotal::cost).reversed())
            .limit(8)
            .map(u -> userRow(session, u, userToday))
            .toList();

    Map<String, Long> errors = errorsToday(session);
    long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
    List<OverviewView.Count> refusals = refusals();
    long refusalCount = refusals.stream().mapToLong(OverviewView.Count::count).sum();

    List<OverviewView.Card> cards =
        List.of(
            new OverviewView.Card(
                "Spend today", Fmt.usd(today.cost()), today.requests() + " requests"),
            new OverviewView.Card(
                "Spend this month", Fmt.usd(month.cost()), month.requests() + " requests"),
            new OverviewView.Card(
                "Tokens this month",
                String.format(
                    java.util.Locale.ROOT, "%,d", month.inputTokens() + month.outputTokens()),
                month.inputTokens() + " in / " + month.outputTokens() + " out"),
            new OverviewView.Card(
                "Errors today", Long.toString(errorCount), "failed upstream calls"),
            new OverviewView.Card(
                "Refusals", Long.toString(refusalCount), "budget, rate, model (this instance)"));

    String[] chart = chart(session);
    OverviewView view =
        new OverviewView(
            BudgetWindow.DAILY.periodAt(ui.now(), ui.zone).key(),
            BudgetWindow.MONTHLY.periodAt(ui.now(), ui.zone).key(),
            cards,
            teamRows,
            topUsers,
            refusals,
            errors.entrySet().stream()
                .map(e -> new OverviewView.Count(e.getKey(), e.getValue()))
                .toList(),
            chart[0],
            chart[1],
            chart[2]);
    ui.templates.html(
        ctx, status, "overview", view, Layout.of("overview", "Overview", session, notice, error));
  }

  private OverviewView.TeamRow teamRow(
      Team t, Map<String, SpendTotal> today, Map<String, SpendTotal> month) {
    Money spentToday =
        Optional.ofNullable(today.get(t.id())).map(SpendTotal::cost).orElse(Money.ZERO);
    Money spentMonth =
        Optional.ofNullable(month.get(t.id())).map(SpendTotal::cost).orElse(Money.ZERO);
    Optional<Money> daily = limit(t.teamBudgets(), BudgetWindow.DAILY);
    Optional<Money> monthly = limit(t.teamBudgets(), BudgetWindow.MONTHLY);
    String member =
        t.memberBudgets().isEmpty()
            ? "none"
            : Fmt.limit(t.memberBudgets(), BudgetWindow.DAILY)
                + " / day, "
                + Fmt.limit(t.memberBudgets(), BudgetWindow.MONTHLY)
                + " / month";
    return new OverviewView.TeamRow(
        t.id(),
        t.alias(),
        t.tier().orElse("-"),
        Fmt.usd(spentToday),
        Fmt.usd(spentMonth),
        daily.map(Fmt::usd).orElse("no limit"),
        monthly.map(Fmt::usd).orElse("no limit"),
        daily.map(l -> Fmt.percent(spentToday, l)).orElse(0),
        monthly.map(l -> Fmt.percent(spentMonth, l)).orElse(0),
        daily.isPresent(),
        monthly.isPresent(),
        member,
        Optional.ofNullable(today.get(t.id())).map(SpendTotal::requests).orElse(0L));
  }

  private OverviewView.UserRow userRow(
      UiSession session, SpendTotal u, Map<String, SpendTotal> today) {
    String team = "-";
    String left = "-";
    try {
      team = ui.admin.user(ui.actor(session), u.group()).teamId().orElse("-");
      left =
          ui.admin.budgetStatus(ui.actor(session), BudgetScope.user(u.group())).stream()
              .filter(b -> b.window() == BudgetWindow.DAILY)
              .findFirst()
              .map(BudgetStatus::remaining)
              .map(Fmt::usd)
              .orElse("no limit");
    } catch (RuntimeException e) {
      // A deleted user still has spend rows: show them without team or budget.
    }
    return new OverviewView.UserRow(
        u.group(),
        team,
        Optional.ofNullable(today.get(u.group())).map(t -> Fmt.usd(t.cost())).orElse("$0.00"),
        Fmt.usd(u.cost()),
        left,
        u.requests());
  }

  private static Optional<Money> limit(List<BudgetLimit> limits, BudgetWindow window) {
    return limits.stream().filter(l -> l.window() == window).map(BudgetLimit::limit).findFirst();
  }

  private static SpendTotal sum(Map<String, SpendTotal> totals) {
    long requests = 0;
    long in = 0;
    long out = 0;
    Money cost = Money.ZERO;
    for (SpendTotal t : totals.values()) {
      requests += t.requests();
      in += t.inputTokens();
      out += t.outputTokens();
      cost = cost.plus(t.cost());
    }
    return new SpendTotal("all", requests, in, out, cost);
  }

  /** Failed requests today by error code, from the newest spend records. */
  private Map<String, Long> errorsToday(UiSession session) {
    Instant from = ui.periodStart(BudgetWindow.DAILY);
    List<SpendRecord> rows = new ArrayList<>();
    for (int page = 1; rows.size() < ERROR_SCAN_ROWS; page++) {
      SpendQuery q = SpendQuery.builder(new PageRequest(page, 1000)).from(from).build();
      List<SpendRecord> items = ui.admin.spendLogs(ui.actor(session), q).items();
      rows.addAll(items);
      if (items.size() < 1000) {
        break;
      }
    }
    return rows.stream()
        .filter(r -> r.status() == SpendStatus.ERROR || r.status() == SpendStatus.EXPIRED)
        .collect(
            Collectors.groupingBy(
                r -> r.errorCode().orElse(r.status().name().toLowerCase(java.util.Locale.ROOT)),
                TreeMap::new,
                Collectors.counting()));
  }

  private List<OverviewView.Count> refusals() {
    Map<String, Long> byCode = new TreeMap<>();
    for (Counter c : ui.metrics.registry().find("gateway.requests.refused").counters()) {
      String code = Optional.ofNullable(c.getId().getTag("code")).orElse("other");
      byCode.merge(code, (long) c.count(), Long::sum);
    }
    return byCode.entrySet().stream()
        .map(e -> new OverviewView.Count(e.getKey(), e.getValue()))
        .toList();
  }

  /** Days (epoch seconds), cost (USD) and requests per day for the last 30 days, as JSON arrays. */
  private String[] chart(UiSession session) {
    LocalDate last = LocalDate.ofInstant(ui.now(), ui.zone);
    LocalDate first = last.minusDays(CHART_DAYS - 1L);
    Instant from = first.atStartOfDay(ui.zone).toInstant();
    Instant to = last.plusDays(1).atStartOfDay(ui.zone).toInstant();
    Map<String, SpendTotal> byDay = new java.util.HashMap<>();
    ui.admin
        .spendReport(ui.actor(session), SpendGroup.DAY, from, to)
        .forEach(t -> byDay.put(t.group(), t));
    StringBuilder days = new StringBuilder("[");
    StringBuilder cost = new StringBuilder("[");
    StringBuilder requests = new StringBuilder("[");
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      String sep = d.equals(first) ? "" : ",";
      SpendTotal t = byDay.get(d.toString());
      days.append(sep).append(d.atStartOfDay(ui.zone).toEpochSecond());
      cost.append(sep).append(t == null ? "0" : t.cost().toUsd().toPlainString());
      requests.append(sep).append(t == null ? 0 : t.requests());
    }
    return new String[] {days + "]", cost + "]", requests + "]"};
  }
}
