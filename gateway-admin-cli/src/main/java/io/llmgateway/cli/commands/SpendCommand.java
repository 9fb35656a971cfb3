package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.output.Format;
import io.llmgateway.cli.output.Renderer;
import io.llmgateway.cli.output.Table;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.WindowPeriod;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway-admin spend report|top}: spend totals against budgets. */
@Command(
    name = "spend",
    description = "Spend: totals by team/user/key/model/day against budgets; heaviest users now.",
    subcommands = {SpendCommand.Report.class, SpendCommand.Top.class, SpendExportCommand.class})
public final class SpendCommand {

  @Command(
      name = "report",
      description = {
        "Spend between --from and --to grouped by team, user, key, model or day, with each group's"
            + " daily and monthly budget and what it has spent in the current day and month.",
        "Dates are calendar days in the budget time zone; --to is inclusive for a date."
      })
  static final class Report extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Option(
        names = "--by",
        defaultValue = "team",
        description = "team, user, key, model or day (default ${DEFAULT-VALUE}).")
    SpendGroup by;

    @Option(
        names = "--from",
        paramLabel = "DATE",
        description = "YYYY-MM-DD or an ISO instant (default: first day of this month).")
    String from;

    @Option(
        names = "--to",
        paramLabel = "DATE",
        description = "YYYY-MM-DD (inclusive) or an ISO instant (exclusive) (default: today).")
    String to;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json.")
    Format format;

    @Override
    int execute() {
      ZoneId zone = root().zone();
      Instant now = environment().clock().instant();
      Instant start =
          from == null
              ? BudgetWindow.MONTHLY.periodAt(now, zone).start()
              : parse(from, zone, false);
      Instant end =
          to == null ? BudgetWindow.DAILY.periodAt(now, zone).end() : parse(to, zone, true);
      if (!start.isBefore(end)) {
        throw CliException.usage("--from must be before --to");
      }
      List<SpendTotal> rows = admin().spendReport(by, start, end);
      boolean budgets = by == SpendGroup.TEAM || by == SpendGroup.USER || by == SpendGroup.KEY;
      Table t =
          budgets
              ? new Table(
                  by.name().toLowerCase(java.util.Locale.ROOT),
                  "requests",
                  "input_tokens",
                  "output_tokens",
                  "spend_usd",
                  "daily_budget_usd",
                  "spent_today_usd",
                  "daily_used_pct",
                  "monthly_budget_usd",
                  "spent_this_month_usd",
                  "monthly_used_pct")
              : new Table(
                  by.name().toLowerCase(java.util.Locale.ROOT),
                  "requests",
                  "input_tokens",
                  "output_tokens",
                  "spend_usd");
      Map<String, Money> today = budgets ? current(BudgetWindow.DAILY, now, zone) : Map.of();
      Map<String, Money> month = budgets ? current(BudgetWindow.MONTHLY, now, zone) : Map.of();
      Budgets limits = new Budgets(admin());
      long requests = 0;
      long in = 0;
      long out = 0;
      Money total = Money.ZERO;
      for (SpendTotal r : rows) {
        requests += r.requests();
        in += r.inputTokens();
        out += r.outputTokens();
        total = total.plus(r.cost());
        if (budgets) {
          Optional<Money> daily = limits.of(by, r.group(), BudgetWindow.DAILY);
          Optional<Money> monthly = limits.of(by, r.group(), BudgetWindow.MONTHLY);
          Money d = today.getOrDefault(r.group(), Money.ZERO);
          Money m = month.getOrDefault(r.group(), Money.ZERO);
          t.row(
              r.group(),
              r.requests(),
              r.inputTokens(),
              r.outputTokens(),
              r.cost().toUsd(),
              daily.map(Money::toUsd).orElse(null),
              d.toUsd(),
              pct(d, daily),
              monthly.map(Money::toUsd).orElse(null),
              m.toUsd(),
              pct(m, monthly));
        } else {
          t.row(r.group(), r.requests(), r.inputTokens(), r.outputTokens(), r.cost().toUsd());
        }
      }
      if (format != Format.JSON) {
        if (budgets) {
          t.row("TOTAL", requests, in, out, total.toUsd(), "", "", "", "", "", "");
        } else {
          t.row("TOTAL", requests, in, out, total.toUsd());
        }
      }
      if (format == Format.TABLE) {
        out()
            .println(
                "spend by "
                    + by.name().toLowerCase(java.util.Locale.ROOT)
                    + " from "
                    + start
                    + " to "
                    + end
                    + " ("
                    + zone
                    + ")");
      }
      Renderer.print(t, format, out());
      return ok();
    }

    private Map<String, Money> current(BudgetWindow w, Instant now, ZoneId zone) {
      WindowPeriod p = w.periodAt(now, zone);
      Map<String, Money> m = new HashMap<>();
      for (SpendTotal r : admin().spendReport(by, p.start(), p.end())) {
        m.put(r.group(), r.cost());
      }
      return m;
    }
  }

  @Command(
      name = "top",
      description = "The heaviest users in the current day or month, against their budgets.")
  static final class Top extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Option(
        names = "--window",
        defaultValue = "daily",
        description = "daily or monthly (default ${DEFAULT-VALUE}).")
    String window;

    @Option(
        names = "--limit",
        defaultValue = "10",
        description = "How many users (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json.")
    Format format;

    @Override
    int execute() {
      BudgetWindow w;
      try {
        w = BudgetWindow.parse(window);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--window: " + e.getMessage());
      }
      if (limit < 1) {
        throw CliException.usage("--limit must be 1 or more");
      }
      ZoneId zone = root().zone();
      WindowPeriod p = w.periodAt(environment().clock().instant(), zone);
      List<SpendTotal> rows = admin().spendReport(SpendGroup.USER, p.start(), p.end());
      Budgets limits = new Budgets(admin());
      Table t =
          new Table("rank", "user_id", "team", "requests", "spent_usd", "budget_usd", "used_pct");
      int rank = 0;
      for (SpendTotal r : rows.stream().limit(limit).toList()) {
        Optional<Money> budget = limits.of(SpendGroup.USER, r.group(), w);
        t.row(
            ++rank,
            r.group(),
            limits.user(r.group()).flatMap(u -> u.teamId()).orElse("-"),
            r.requests(),
            r.cost().toUsd(),
            budget.map(Money::toUsd).orElse(null),
            pct(r.cost(), budget));
      }
      if (format == Format.TABLE) {
        out().println("top users, " + w.label() + " window " + p.key() + " (" + zone + ")");
      }
      Renderer.print(t, format, out());
      return ok();
    }
  }

  static BigDecimal pct(Money spent, Optional<Money> budget) {
    if (budget.isEmpty()) {
      return null;
    }
    if (budget.get().isZero()) {
      return spent.isZero() ? BigDecimal.ZERO : null;
    }
    return BigDecimal.valueOf(spent.nanos())
        .multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(budget.get().nanos()), 1, RoundingMode.HALF_UP);
  }

  static Instant parse(String text, ZoneId zone, boolean endOfDay) {
    try {
      if (text.length() == 10) {
        LocalDate d = LocalDate.parse(text);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
      }
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw CliException.usage(
          "'" + text + "' is not a date (YYYY-MM-DD) or an ISO instant (2026-11-27T10:00:00Z)");
    }
  }
}
