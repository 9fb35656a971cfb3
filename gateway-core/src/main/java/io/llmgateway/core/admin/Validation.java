package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.InvalidRequestException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks shared by the admin command records. Each records what is wrong in a {@link Problems}
 * (naming the offending field) instead of throwing, so a record's constructor checks every field
 * and refuses them all at once; each returns the value to store (copied, or as given when wrong).
 */
final class Validation {
  private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z]+_[a-z_]+) ");

  private Validation() {}

  static InvalidRequestException invalid(String param, String message) {
    return new InvalidRequestException(message, param);
  }

  static <T> T required(Problems p, String param, T value) {
    if (value == null) {
      p.add(param, param + " is required");
    }
    return value;
  }

  /** An optional field: null (a programming error in the caller) is refused and read as empty. */
  static <T> Optional<T> optional(Problems p, String param, Optional<T> value) {
    return required(p, param, value) == null ? Optional.empty() : value;
  }

  static String text(Problems p, String param, String value) {
    if (value == null || value.isBlank()) {
      p.add(param, param + " must not be blank");
    } else if (value.length() > 256) {
      p.add(param, param + " is longer than 256 characters");
    } else {
      InputGrammar.textProblem(value).ifPresent(x -> p.add(param, param + " " + x));
    }
    return value;
  }

  /** A display alias: {@link #text} in printable ASCII (see {@link InputGrammar}). */
  static String alias(Problems p, String param, String value) {
    text(p, param, value);
    if (value != null && !p.has(param)) {
      InputGrammar.aliasProblem(value).ifPresent(x -> p.add(param, param + " " + x));
    }
    return value;
  }

  static Optional<String> optionalAlias(Problems p, String param, Optional<String> value) {
    Optional<String> v = optional(p, param, value);
    v.ifPresent(x -> alias(p, param, x));
    return v;
  }

  /** A date a key may expire at: one PostgreSQL and Java both hold (not +999999999-12-31). */
  static Optional<Instant> instant(Problems p, String param, Optional<Instant> value) {
    Optional<Instant> v = optional(p, param, value);
    if (v.isPresent() && !InputGrammar.isInRange(v.get())) {
      p.add(param, param + " must be " + InputGrammar.DATE_RULE);
    }
    return v;
  }

  static Optional<String> optionalText(Problems p, String param, Optional<String> value) {
    Optional<String> v = optional(p, param, value);
    v.ifPresent(x -> text(p, param, x));
    return v;
  }

  static Optional<String> optionalId(Problems p, String param, Optional<String> value) {
    Optional<String> v = optional(p, param, value);
    v.ifPresent(x -> id(p, param, x));
    return v;
  }

  static String id(Problems p, String param, String value) {
    text(p, param, value);
    if (value == null || p.has(param)) {
      return value;
    }
    if (value.length() > 128) {
      p.add(param, param + " is longer than 128 characters");
    } else {
      InputGrammar.idProblem(value).ifPresent(x -> p.add(param, param + " " + x));
    }
    return value;
  }

  static List<String> models(Problems p, String param, List<String> models) {
    if (required(p, param, models) == null) {
      return List.of();
    }
    var seen = new HashSet<String>();
    for (String m : models) {
      text(p, param, m);
      if (m != null && !seen.add(m)) {
        p.add(param, param + " lists '" + m + "' twice");
      }
    }
    return models.stream().anyMatch(Objects::isNull) ? models : List.copyOf(models);
  }

  static Optional<List<String>> optionalModels(
      Problems p, String param, Optional<List<String>> models) {
    return optional(p, param, models).map(m -> models(p, param, m));
  }

  static List<BudgetLimit> budgets(Problems p, String param, List<BudgetLimit> budgets) {
    if (required(p, param, budgets) == null || budgets.stream().anyMatch(Objects::isNull)) {
      p.add(param, param + " must not contain null");
      return List.of();
    }
    var seen = EnumSet.noneOf(BudgetWindow.class);
    for (BudgetLimit b : budgets) {
      if (!seen.add(b.window())) {
        p.add(param, param + " has two " + b.window().label() + " limits");
      }
    }
    return List.copyOf(budgets);
  }

  static Optional<List<BudgetLimit>> optionalBudgets(
      Problems p, String param, Optional<List<BudgetLimit>> budgets) {
    return optional(p, param, budgets).map(b -> budgets(p, param, b));
  }

  static Map<String, Object> metadata(Problems p, String param, Map<String, Object> metadata) {
    if (required(p, param, metadata) == null) {
      return Map.of();
    }
    for (var e : metadata.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        p.add(param, param + " must not contain null keys or values");
        return Map.of();
      }
    }
    return Map.copyOf(metadata);
  }

  static Optional<Map<String, Object>> optionalMetadata(
      Problems p, String param, Optional<Map<String, Object>> metadata) {
    return optional(p, param, metadata).map(m -> metadata(p, param, m));
  }

  /** The longest a temporary budget increase may run, from the moment it is set. */
  static final java.time.Duration MAX_INCREASE = java.time.Duration.ofDays(90);

  /** A temporary increase: more than nothing (its expiry is checked against now when applied). */
  static Optional<BudgetIncrease> budgetIncrease(Problems p, Optional<BudgetIncrease> increase) {
    Optional<BudgetIncrease> v = optional(p, "temp_budget_increase", increase);
    if (v.isPresent() && v.get().amount().isZero()) {
      p.add("temp_budget_increase", "temp_budget_increase must be greater than 0");
    }
    return v;
  }

  /**
   * An increase given in a change must end after {@code now} and at most {@link #MAX_INCREASE}
   * later: one that has already ended would silently do nothing, and an unbounded one is a budget
   * change, which belongs in the budget itself.
   */
  static void requireIncreaseWindow(Optional<BudgetIncrease> increase, Instant now) {
    if (increase.isEmpty()) {
      return;
    }
    Instant expiry = increase.get().expiresAt();
    if (!expiry.isAfter(now)) {
      throw invalid("temp_budget_expiry", "temp_budget_expiry must be in the future");
    }
    if (expiry.isAfter(now.plus(MAX_INCREASE))) {
      throw invalid("temp_budget_expiry", "temp_budget_expiry must be at most 90 days from now");
    }
  }

  /**
   * Builds a domain record, turning its constructor's refusal into a client error. Domain messages
   * start with the field name ({@code "team_alias must not be blank"}), which becomes the param.
   */
  static <T> T domain(Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "invalid value" : e.getMessage();
      Matcher m = LEADING_FIELD.matcher(message);
      return throwInvalid(m.find() ? m.group(1) : null, message);
    }
  }

  private static <T> T throwInvalid(String param, String message) {
    throw new InvalidRequestException(message, param);
  }
}
