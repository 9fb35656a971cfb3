package io.llmgateway.server.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.llmgateway.core.admin.Problems;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.error.Problem;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One submitted HTML form, read into the admin service's command drafts the same way the admin API
 * reads a JSON body: every value that cannot be parsed is recorded in {@link #problems()} (the
 * draft's collector, so the service refuses it with everything else at once), and a refused form is
 * shown again with every value as typed and every problem next to its field. Input names are the
 * admin API's field names ({@code user_email}, {@code team_id}, {@code rpm_limit} ...), so a
 * problem's {@code param} names its input; {@link #ALIASES} maps the few command-level params that
 * are not an input. Not thread-safe (one per request).
 */
final class Form {
  /** Command params that are not a form input, and the input that shows them. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "budgets", "daily_budget",
          "rate_limits", "rpm_limit",
          "role", "key_type",
          "user_role", "user_role",
          "duration", "expires",
          "user_id", "user_id",
          "budgets.daily", "daily_budget",
          "budgets.monthly", "monthly_budget");

  /** Each drop-down's choices, in the API's spelling, in the order shown. */
  private static final Map<String, List<String>> CHOICES =
      Map.of(
          "user_role", List.of("internal_user", "internal_user_viewer", "proxy_admin"),
          "key_type", List.of("llm_api", "team_admin", "proxy_admin"));

  // Numbers as BigDecimal, as the admin API reads JSON bodies (metadata keeps 0.1 exact).
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Pattern PERIOD = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> errors = new LinkedHashMap<>();
  private final List<String> messages = new ArrayList<>();
  private final Problems problems = new Problems();
  private Map<String, String> aliases = ALIASES;

  private Form() {}

  /**
   * For a form whose inputs are not all named as the API's fields (the team forms' {@code alias},
   * {@code member_daily} ...): which input shows the command params in {@code more}.
   */
  Form aliases(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(ALIASES);
    all.putAll(more);
    this.aliases = Map.copyOf(all);
    return this;
  }

  /** The submitted form (its fields as typed). */
  static Form of(Context ctx) {
    Form f = new Form();
    ctx.formParamMap()
        .forEach(
            (k, v) -> {
              if (!k.equals("_csrf") && !v.isEmpty()) {
                // Ticked checkboxes of one name (a key's models) arrive as several values; they
                // are kept as the comma-separated list {@link #list} reads.
                f.values.put(k, v.size() == 1 ? v.getFirst() : String.join(",", v));
              }
            });
    return f;
  }

  /** A form showing an object's current values (an edit page before any submit). */
  static Form filled(Map<String, String> current) {
    Form f = new Form();
    f.values.putAll(current);
    return f;
  }

  /** The collector the command draft records into. */
  Problems problems() {
    return problems;
  }

  Optional<String> text(String field) {
    return Optional.ofNullable(values.get(field)).map(String::trim).filter(s -> !s.isEmpty());
  }

  boolean checked(String field) {
    return values.containsKey(field);
  }

  /** A comma- or space-separated list; empty when blank. */
  List<String> list(String field) {
    return text(field)
        .map(v -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank()).toList())
        .orElse(List.of());
  }

  Optional<Money> usd(String field) {
    return text(field)
        .flatMap(
            v -> {
              try {
                return Optional.of(Money.ofUsd(v.replace("$", "").trim()));
              } catch (IllegalArgumentException e) {
                problems.add(
                    field, label(field) + " must be an amount of US dollars such as 12.50");
                return Optional.empty();
              }
            });
  }

  /** Daily and monthly limits from two dollar inputs; blank means no limit in that window. */
  List<BudgetLimit> budgets(String daily, String monthly) {
    List<BudgetLimit> out = new ArrayList<>();
    usd(daily).ifPresent(m -> out.add(BudgetLimit.daily(m)));
    usd(monthly).ifPresent(m -> out.add(BudgetLimit.monthly(m)));
    return out;
  }

  /** A whole number from 1 to {@code max}; empty when blank or wrong (then recorded). */
  OptionalLong positive(String field, long max) {
    Optional<String> v = text(field);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(v.get());
      if (n >= 1 && n <= max) {
        return OptionalLong.of(n);
      }
    } catch (NumberFormatException e) {
      // recorded below
    }
    problems.add(field, label(field) + " must be a whole number from 1 to " + max);
    return OptionalLong.empty();
  }

  /** rpm / tpm / parallel inputs; blank means no limit. */
  RateLimits rateLimits() {
    long max = 1_000_000_000L;
    return new RateLimits(
        positive("rpm_limit", max),
        positive("tpm_limit", max),
        positive("max_parallel_requests", max));
  }

  /** A day ({@code 2026-12-31}), as the start of that day in {@code zone}. */
  Optional<java.time.Instant> day(String field, ZoneId zone) {
    return text(field)
        .flatMap(
            v -> {
              try {
                return Optional.of(LocalDate.parse(v).atStartOfDay(zone).toInstant());
              } catch (DateTimeParseException e) {
                problems.add(field, label(field) + " must be a date such as 2026-12-31");
                return Optional.empty();
              }
            });
  }

  /** A JSON object; blank is the empty object. */
  Map<String, Object> metadata(String field) {
    Optional<String> v = text(field);
    if (v.isEmpty()) {
      return Map.of();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(v.get(), LinkedHashMap.class);
      return m == null ? Map.of() : m;
    } catch (JsonProcessingException | ClassCastException e) {
      problems.add(
          field, label(field) + " must be a JSON object such as {\"cost_center\": \"42\"}");
      return Map.of();
    }
  }

  /** Metadata as the form shows it: a JSON object, blank when empty. */
  static String json(Map<String, Object> metadata) {
    if (metadata.isEmpty()) {
      return "";
    }
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  /**
   * Records a refusal: each problem goes next to its input, or above the form. A lone missing team
   * or user (the service's 404) goes next to the input that named it.
   */
  void refused(RuntimeException e) {
    List<Problem> found =
        switch (e) {
          case InvalidRequestException i -> i.problems();
          case PermissionDeniedException p -> p.problems();
          default -> List.of(Problem.of(referenceField(e.getMessage()), e.getMessage()));
        };
    for (Problem p : found) {
      String field = p.param().map(x -> aliases.getOrDefault(x, x)).orElse("");
      if (values.containsKey(field) || isInput(field)) {
        errors.putIfAbsent(field, p.message());
      }
      messages.add(p.message());
    }
  }

  private static String referenceField(String message) {
    if (message.startsWith("team '")) {
      return "team_id";
    }
    return message.startsWith("user '") ? "user_id" : null;
  }

  /** A period such as {@code 60s}, {@code 30m}, {@code 24h} or {@code 7d}; empty when blank. */
  Optional<Duration> period(String field) {
    Optional<String> v = text(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = PERIOD.matcher(v.get());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      if (!d.isZero() && d.compareTo(Duration.ofDays(30)) <= 0) {
        return Optional.of(d);
      }
    }
    problems.add(field, label(field) + " must be like 60s, 30m, 24h or 7d (at most 30 days)");
    return Optional.empty();
  }

  private static String label(String field) {
    return field.replace('_', ' ');
  }

  /** An input a form may leave blank (so it is absent from the values) but still shows. */
  private static boolean isInput(String field) {
    return field.matches("[a-z_]+") && !field.isEmpty();
  }

  /** The line above the form: every problem, so none is missed. */
  String summary() {
    return messages.isEmpty()
        ? null
        : (messages.size() == 1 ? "Not saved: " : "Not saved (" + messages.size() + " problems): ")
            + String.join("; ", messages);
  }

  /** One option of a drop-down. */
  record Option(String value, boolean selected) {}

  /**
   * For templates: {@code {{#form.choices.user_role}}}: each choice once, the current one selected
   * (a value that is not a choice, as a hand-made post may send, is shown first, selected).
   */
  public Map<String, List<Option>> choices() {
    Map<String, List<Option>> out = new LinkedHashMap<>();
    CHOICES.forEach(
        (field, choices) -> {
          String current = values.get(field);
          List<Option> options = new ArrayList<>();
          if (current != null && !choices.contains(current)) {
            options.add(new Option(current, true));
          }
          choices.forEach(c -> options.add(new Option(c, c.equals(current))));
          out.put(field, options);
        });
    return out;
  }

  /** For templates: {@code {{form.values.user_email}}}. */
  public Map<String, String> values() {
    return values;
  }

  /** For templates: {@code {{#form.errors.user_email}}...{{/form.errors.user_email}}}. */
  public Map<String, String> errors() {
    return errors;
  }
}
