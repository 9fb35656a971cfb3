package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.InvalidRequestException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks shared by the admin command records; every failure names the offending field. */
final class Validation {
  private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z]+_[a-z_]+) ");

  private Validation() {}

  static InvalidRequestException invalid(String param, String message) {
    return new InvalidRequestException(message, param);
  }

  static <T> T required(String param, T value) {
    if (value == null) {
      throw invalid(param, param + " is required");
    }
    return value;
  }

  static String text(String param, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(param, param + " must not be blank");
    }
    if (value.length() > 256) {
      throw invalid(param, param + " is longer than 256 characters");
    }
    InputGrammar.textProblem(value)
        .ifPresent(
            p -> {
              throw invalid(param, param + " " + p);
            });
    return value;
  }

  /** A display alias: {@link #text} in printable ASCII (see {@link InputGrammar}). */
  static String alias(String param, String value) {
    text(param, value);
    InputGrammar.aliasProblem(value)
        .ifPresent(
            p -> {
              throw invalid(param, param + " " + p);
            });
    return value;
  }

  static Optional<String> optionalAlias(String param, Optional<String> value) {
    required(param, value).ifPresent(v -> alias(param, v));
    return value;
  }

  /** A date a key may expire at: one PostgreSQL and Java both hold (not +999999999-12-31). */
  static Optional<Instant> instant(String param, Optional<Instant> value) {
    required(param, value)
        .ifPresent(
            t -> {
              if (!InputGrammar.isInRange(t)) {
                throw invalid(param, param + " must be " + InputGrammar.DATE_RULE);
              }
            });
    return value;
  }

  static Optional<String> optionalText(String param, Optional<String> value) {
    required(param, value).ifPresent(v -> text(param, v));
    return value;
  }

  static Optional<String> optionalId(String param, Optional<String> value) {
    required(param, value).ifPresent(v -> id(param, v));
    return value;
  }

  static String id(String param, String value) {
    text(param, value);
    if (value.length() > 128) {
      throw invalid(param, param + " is longer than 128 characters");
    }
    InputGrammar.idProblem(value)
        .ifPresent(
            p -> {
              throw invalid(param, param + " " + p);
            });
    return value;
  }

  static List<String> models(String param, List<String> models) {
    List<String> copy = List.copyOf(required(param, models));
    var seen = new HashSet<String>();
    for (String m : copy) {
      text(param, m);
      if (!seen.add(m)) {
        throw invalid(param, param + " lists '" + m + "' twice");
      }
    }
    return copy;
  }

  static List<BudgetLimit> budgets(String param, List<BudgetLimit> budgets) {
    List<BudgetLimit> copy = List.copyOf(required(param, budgets));
    var seen = EnumSet.noneOf(io.llmgateway.core.budget.BudgetWindow.class);
    for (BudgetLimit b : copy) {
      if (!seen.add(b.window())) {
        throw invalid(param, param + " has two " + b.window().label() + " limits");
      }
    }
    return copy;
  }

  static Map<String, Object> metadata(String param, Map<String, Object> metadata) {
    Map<String, Object> m = required(param, metadata);
    for (var e : m.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw invalid(param, param + " must not contain null keys or values");
      }
    }
    return Map.copyOf(m);
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
