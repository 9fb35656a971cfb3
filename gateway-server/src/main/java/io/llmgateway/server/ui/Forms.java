package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.money.Money;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads HTML form fields into the admin service's commands; a bad value becomes an {@link
 * InvalidRequestException} naming the field, shown above the form. Stateless.
 */
final class Forms {
  private Forms() {}

  static Optional<String> text(Context ctx, String field) {
    String v = ctx.formParam(field);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  static String required(Context ctx, String field, String label) {
    return text(ctx, field)
        .orElseThrow(() -> new InvalidRequestException(label + " is required", field));
  }

  /** A comma- or space-separated list; empty when the field is blank. */
  static List<String> list(Context ctx, String field) {
    return text(ctx, field)
        .map(v -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank()).toList())
        .orElse(List.of());
  }

  static Optional<Money> usd(Context ctx, String field) {
    Optional<String> v = text(ctx, field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Money.ofUsd(v.get().replace("$", "")));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field + ": " + e.getMessage(), field);
    }
  }

  /** Daily and monthly limits from two dollar fields; blank fields mean no limit. */
  static List<BudgetLimit> budgets(Context ctx, String dailyField, String monthlyField) {
    List<BudgetLimit> out = new ArrayList<>();
    usd(ctx, dailyField).ifPresent(m -> out.add(BudgetLimit.daily(m)));
    usd(ctx, monthlyField).ifPresent(m -> out.add(BudgetLimit.monthly(m)));
    return out;
  }

  static Optional<Integer> positiveInt(Context ctx, String field, int max) {
    Optional<String> v = text(ctx, field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < 1 || n > max) {
        throw new InvalidRequestException(field + " must be between 1 and " + max, field);
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(field + " must be a whole number", field);
    }
  }

  /** The 1-based page number from {@code ?page=}, 1 if absent or bad. */
  static int page(Context ctx) {
    try {
      String p = ctx.queryParam("page");
      int n = p == null ? 1 : Integer.parseInt(p);
      return Math.max(1, Math.min(n, 100_000));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
