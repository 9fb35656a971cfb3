package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * The budget, rate-limit and metadata options {@code users create|update} and {@code keys
 * create|update} share (a picocli mixin). An option not given leaves the stored value as it is.
 */
final class LimitOptions {
  @Option(names = "--daily-budget", paramLabel = "USD", description = "Own daily budget.")
  String daily;

  @Option(names = "--monthly-budget", paramLabel = "USD", description = "Own monthly budget.")
  String monthly;

  @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
  Long rpm;

  @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute.")
  Long tpm;

  @Option(
      names = "--metadata",
      paramLabel = "KEY=VALUE",
      description = "Metadata entries (replace the stored metadata as a whole).")
  Map<String, String> metadata;

  boolean budgetsGiven() {
    return daily != null || monthly != null;
  }

  boolean ratesGiven() {
    return rpm != null || tpm != null;
  }

  /** The given budgets laid over {@code current}, window by window. */
  List<BudgetLimit> budgets(List<BudgetLimit> current) {
    Map<BudgetWindow, BudgetLimit> by = new LinkedHashMap<>();
    current.forEach(b -> by.put(b.window(), b));
    put(by, BudgetWindow.DAILY, daily);
    put(by, BudgetWindow.MONTHLY, monthly);
    return new ArrayList<>(by.values());
  }

  /** The given rate limits laid over {@code current}. */
  RateLimits rates(RateLimits current) {
    return new RateLimits(
        rpm == null ? current.rpm() : OptionalLong.of(rpm),
        tpm == null ? current.tpm() : OptionalLong.of(tpm),
        current.maxParallel());
  }

  Optional<Map<String, Object>> metadata() {
    return Optional.ofNullable(metadata).map(Map::<String, Object>copyOf);
  }

  private static void put(Map<BudgetWindow, BudgetLimit> by, BudgetWindow w, String usd) {
    if (usd != null) {
      try {
        by.put(w, new BudgetLimit(w, Money.ofUsd(usd.trim())));
      } catch (RuntimeException e) {
        throw CliException.validation(
            "--" + w.label() + "-budget: '" + usd + "' is not an amount in USD, e.g. 0.05");
      }
    }
  }
}
