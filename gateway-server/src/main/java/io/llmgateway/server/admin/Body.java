package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.admin.InputGrammar;
import io.llmgateway.core.admin.Problems;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.money.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object of an admin request, read field by field. It refuses every field it was not told
 * to accept (no mass assignment: {@code spend}, {@code token}, {@code user_role} on a key ... are
 * 400 naming the field), and every typed getter names the field in its error. JSON {@code null}
 * counts as absent, as LiteLLM's Python clients send nulls for unset fields. Every unknown field is
 * named at once. A body made {@link #collecting()} records a wrong value in its {@link Problems}
 * and reads it as absent, so the command built from it (a draft over the same {@code Problems})
 * refuses every wrong field together; such a body must only feed a draft whose {@code build()} runs
 * before anything is changed. Not thread-safe (one per request).
 */
final class Body {
  /** Largest metadata object, serialised. */
  static final int MAX_METADATA_BYTES = 16 * 1024;

  /** Most items in any list field (models, keys to delete, members ...). */
  static final int MAX_LIST = 1000;

  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(s|m|h|d|w|mo)");

  private final JsonNode node;
  private final String prefix;
  private Problems problems;

  private Body(JsonNode node, String prefix, Problems problems) {
    this.node = node;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** Reads {@code node}, refusing any field not in {@code allowed}. */
  static Body of(JsonNode node, Set<String> allowed) {
    return of(node, "", allowed, null);
  }

  private static Body of(JsonNode node, String prefix, Set<String> allowed, Problems parent) {
    // Unknown fields are refused before anything is read, all at once, in every mode.
    Problems unknown = new Problems();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        unknown.add(
            prefix + shown,
            "unknown or read-only field '"
                + prefix
                + shown
                + "'; accepted fields: "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    unknown.throwIfAny();
    return new Body(node, prefix, parent);
  }

  /** From now on a wrong value is recorded in {@link #problems()} and read as absent. */
  Body collecting() {
    if (problems == null) {
      problems = new Problems();
    }
    return this;
  }

  /** What was wrong so far (a collecting body only). */
  Problems problems() {
    if (problems == null) {
      throw new IllegalStateException("not a collecting body");
    }
    return problems;
  }

  /**
   * Reads a value with {@code read}; in a collecting body its refusal is recorded and the value is
   * absent, otherwise the refusal is thrown.
   */
  <T> Optional<T> collect(Supplier<Optional<T>> read) {
    return problems == null ? read.get() : problems.check(read).flatMap(v -> v);
  }

  static InvalidRequestException invalid(String param, String message) {
    return new InvalidRequestException(message, param);
  }

  private String name(String field) {
    return prefix + field;
  }

  private Optional<JsonNode> value(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  boolean has(String field) {
    return value(field).isPresent();
  }

  Optional<String> text(String field) {
    return collect(() -> textOrThrow(field));
  }

  private Optional<String> textOrThrow(String field) {
    return value(field)
        .map(
            v -> {
              if (!v.isTextual()) {
                throw invalid(name(field), name(field) + " must be a string");
              }
              return v.textValue();
            });
  }

  /** A required field: without it nothing can be done, so it ends the collection. */
  String requiredText(String field) {
    Optional<String> v = text(field).filter(s -> !s.isBlank());
    if (v.isEmpty()) {
      if (problems == null) {
        throw invalid(name(field), name(field) + " is required");
      }
      problems.add(name(field), name(field) + " is required");
      problems.throwIfAny();
    }
    return v.orElseThrow();
  }

  Optional<List<String>> textList(String field) {
    return collect(() -> value(field).map(v -> strings(name(field), v)));
  }

  /** A string or a list of strings (LiteLLM accepts both for {@code teams}, {@code keys}). */
  Optional<List<String>> textOrList(String field) {
    return collect(
        () ->
            value(field)
                .map(v -> v.isTextual() ? List.of(v.textValue()) : strings(name(field), v)));
  }

  private static List<String> strings(String param, JsonNode v) {
    if (!v.isArray()) {
      throw invalid(param, param + " must be a list of strings");
    }
    if (v.size() > MAX_LIST) {
      throw invalid(param, param + " has more than " + MAX_LIST + " items");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw invalid(param, param + " must be a list of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** A non-negative dollar amount, exact to the nano-dollar, at most {@link Money#MAX}. */
  Optional<Money> money(String field) {
    return collect(() -> value(field).map(v -> money(name(field), v)));
  }

  static Money money(String param, JsonNode v) {
    if (!v.isNumber()) {
      throw invalid(param, param + " must be a number (US dollars)");
    }
    // The number's shape is checked (precision and scale only) before any conversion, and the
    // message never repeats the value: 1e-999999999 printed plain is a billion characters.
    BigDecimal usd = v.decimalValue();
    if (Money.isBounded(usd) && usd.signum() < 0) {
      throw invalid(param, param + " must not be negative");
    }
    try {
      return Money.ofUsd(usd);
    } catch (IllegalArgumentException e) {
      throw invalid(
          param,
          param
              + " must be a number of US dollars from 0 to "
              + Money.MAX.toUsdString()
              + " with at most 9 decimal places");
    }
  }

  /** A whole number in {@code [min, max]}. */
  Optional<Long> integer(String field, long min, long max) {
    return collect(() -> integerOrThrow(field, min, max));
  }

  private Optional<Long> integerOrThrow(String field, long min, long max) {
    return value(field)
        .map(
            v -> {
              if (!v.isNumber()) {
                throw invalid(name(field), name(field) + " must be a whole number");
              }
              BigDecimal d = v.decimalValue();
              if (!Money.isBounded(d)
                  || d.stripTrailingZeros().scale() > 0
                  || d.compareTo(BigDecimal.valueOf(min)) < 0
                  || d.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw invalid(
                    name(field),
                    name(field) + " must be a whole number between " + min + " and " + max);
              }
              return d.longValueExact();
            });
  }

  Optional<Boolean> bool(String field) {
    return collect(() -> boolOrThrow(field));
  }

  private Optional<Boolean> boolOrThrow(String field) {
    return value(field)
        .map(
            v -> {
              if (!v.isBoolean()) {
                throw invalid(name(field), name(field) + " must be true or false");
              }
              return v.booleanValue();
            });
  }

  /** A JSON object as plain Java values (maps, lists, strings, decimals, booleans). */
  Optional<Map<String, Object>> map(String field, ObjectMapper mapper) {
    return collect(() -> mapOrThrow(field, mapper));
  }

  private Optional<Map<String, Object>> mapOrThrow(String field, ObjectMapper mapper) {
    return value(field)
        .map(
            v -> {
              if (!v.isObject()) {
                throw invalid(name(field), name(field) + " must be a JSON object");
              }
              try {
                if (mapper.writeValueAsBytes(v).length > MAX_METADATA_BYTES) {
                  throw invalid(
                      name(field),
                      name(field) + " is larger than " + MAX_METADATA_BYTES + " bytes");
                }
              } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw invalid(name(field), name(field) + " is not serialisable");
              }
              @SuppressWarnings("unchecked")
              Map<String, Object> m = mapper.convertValue(v, LinkedHashMap.class);
              for (var e : m.entrySet()) {
                if (e.getValue() == null) {
                  throw invalid(name(field), name(field) + "." + e.getKey() + " must not be null");
                }
              }
              return m;
            });
  }

  /** A nested object, itself refusing unknown fields. */
  Optional<Body> object(String field, Set<String> allowed) {
    return value(field)
        .map(
            v -> {
              if (!v.isObject()) {
                throw invalid(name(field), name(field) + " must be a JSON object");
              }
              return of(v, name(field) + ".", allowed, problems);
            });
  }

  /** The raw value, for fields with several accepted shapes. */
  Optional<JsonNode> raw(String field) {
    return value(field);
  }

  /** LiteLLM durations: {@code 30s}, {@code 30m}, {@code 30h}, {@code 30d}, {@code 2w}, 1mo. */
  Optional<Duration> duration(String field) {
    return collect(() -> text(field).map(t -> duration(name(field), t)));
  }

  static Duration duration(String param, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw invalid(param, param + " must look like 30s, 30m, 30h, 30d, 2w or 1mo");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          case "w" -> Duration.ofDays(7 * n);
          default -> Duration.ofDays(30 * n);
        };
    if (d.isZero() || d.compareTo(Duration.ofDays(3660)) > 0) {
      throw invalid(param, param + " must be between 1 second and 10 years");
    }
    return d;
  }

  Optional<Instant> instant(String field) {
    return collect(() -> instantOrThrow(field));
  }

  private Optional<Instant> instantOrThrow(String field) {
    return text(field)
        .map(
            t -> {
              try {
                Instant at = Instant.parse(t);
                if (!InputGrammar.isInRange(at)) {
                  throw invalid(name(field), name(field) + " must be " + InputGrammar.DATE_RULE);
                }
                return at;
              } catch (DateTimeParseException e) {
                throw invalid(
                    name(field),
                    name(field) + " must be an ISO-8601 instant (2026-12-31T00:00:00Z)");
              }
            });
  }
}
