package io.llmgateway.cli.commands;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import java.util.List;
import java.util.Optional;

/** Small formatting helpers shared by commands. Stateless. */
final class Texts {
  private Texts() {}

  static String usd(Money m) {
    return "$" + m.toUsdString();
  }

  static Optional<Money> limit(List<BudgetLimit> limits, BudgetWindow window) {
    return limits.stream().filter(l -> l.window() == window).map(BudgetLimit::limit).findFirst();
  }

  static String limitText(List<BudgetLimit> limits, BudgetWindow window) {
    return limit(limits, window).map(Texts::usd).orElse("-");
  }

  static String rpm(RateLimits r) {
    return r.rpm().isPresent() ? String.valueOf(r.rpm().getAsLong()) : "-";
  }

  /** For typed table cells: null (shown as '-', JSON null) when absent or blank. */
  static String orNull(Optional<String> s) {
    return s.filter(v -> !v.isBlank()).orElse(null);
  }

  static Long rpmOrNull(RateLimits r) {
    return r.rpm().isPresent() ? r.rpm().getAsLong() : null;
  }

  static String orDash(Optional<String> s) {
    return s.filter(v -> !v.isBlank()).orElse("-");
  }
}
