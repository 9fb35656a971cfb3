package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.admin.Admin;
import io.llmgateway.cli.admin.AlertChange;
import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Budget alert and temporary increase options of {@code keys|users create|update} and {@code teams
 * update} (docs/ALERTS.md, docs/CLI.md); a picocli mixin. An option not given leaves the stored
 * value as it is.
 */
final class AlertOptions {
  @Option(
      names = "--alert-thresholds",
      paramLabel = "FRACTIONS",
      description =
          "Alert at these fractions of each budget, e.g. 0.5,0.8,1.0; 'none' turns them off,"
              + " 'inherit' follows the team (tier) or the global default again.")
  String thresholds;

  @Option(
      names = "--soft-budget",
      paramLabel = "USD",
      description = "Alert-only amount for --soft-budget-window; 'none' clears it.")
  String soft;

  @Option(
      names = "--soft-budget-window",
      paramLabel = "WINDOW",
      defaultValue = "monthly",
      description = "daily or monthly (default ${DEFAULT-VALUE}).")
  String softWindow;

  @Option(
      names = "--temp-budget-increase",
      paramLabel = "USD",
      description = "Raise every budget window by this much until --temp-budget-expiry.")
  String increase;

  @Option(
      names = "--temp-budget-expiry",
      paramLabel = "INSTANT",
      description = "When the temporary increase ends, e.g. 2026-12-31T00:00:00Z.")
  String expiry;

  /** The temporary increase given: both options or neither, as LiteLLM requires. */
  Optional<BudgetIncrease> increase() {
    if ((increase == null) != (expiry == null)) {
      throw CliException.usage(
          "--temp-budget-increase and --temp-budget-expiry must be given together");
    }
    if (increase == null) {
      return Optional.empty();
    }
    Money amount;
    try {
      amount = Money.ofUsd(new BigDecimal(increase.trim()));
    } catch (RuntimeException e) {
      throw CliException.validation("--temp-budget-increase must be an amount in USD");
    }
    try {
      return Optional.of(new BudgetIncrease(amount, Instant.parse(expiry.trim())));
    } catch (DateTimeParseException e) {
      throw CliException.validation(
          "--temp-budget-expiry must be an instant such as 2026-12-31T00:00:00Z");
    }
  }

  /** The alert change given for {@code kind} {@code id}, if any option was. */
  Optional<AlertChange> change(String kind, String id) {
    if (thresholds == null && soft == null) {
      return Optional.empty();
    }
    String w = softWindow.toLowerCase(Locale.ROOT);
    if (!w.equals("daily") && !w.equals("monthly")) {
      throw CliException.usage("--soft-budget-window must be daily or monthly");
    }
    Optional<Optional<List<String>>> t = Optional.empty();
    if (thresholds != null) {
      String v = thresholds.trim().toLowerCase(Locale.ROOT);
      t =
          switch (v) {
            case "inherit" -> Optional.of(Optional.empty());
            case "none", "" -> Optional.of(Optional.of(List.of()));
            default ->
                Optional.of(
                    Optional.of(
                        Arrays.stream(v.split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .toList()));
          };
    }
    Optional<Optional<String>> s = Optional.empty();
    if (soft != null) {
      s =
          soft.trim().equalsIgnoreCase("none")
              ? Optional.of(Optional.empty())
              : Optional.of(Optional.of(soft.trim()));
    }
    return Optional.of(new AlertChange(kind, id, t, s, w.equals("daily")));
  }

  /** Applies the alert change, after the object itself was created or updated. */
  void apply(Admin admin, String kind, String id) {
    change(kind, id).ifPresent(admin::setAlerts);
  }
}
