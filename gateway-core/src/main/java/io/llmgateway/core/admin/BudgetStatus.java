package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * Where one budget stands now: its limit, what is spent (committed) and held for requests in flight
 * (reserved), what is left, the period it counts ({@code 2026-11-27}), when that period ends, and
 * where it is heading ({@link BudgetForecast}). Immutable and thread-safe.
 */
public record BudgetStatus(
    BudgetScope scope,
    BudgetWindow window,
    Money limit,
    Money committed,
    Money reserved,
    Money remaining,
    String period,
    Instant resetsAt,
    BudgetForecast forecast) {
  public BudgetStatus {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(committed, "committed");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(remaining, "remaining");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(resetsAt, "resetsAt");
    Objects.requireNonNull(forecast, "forecast");
  }
}
