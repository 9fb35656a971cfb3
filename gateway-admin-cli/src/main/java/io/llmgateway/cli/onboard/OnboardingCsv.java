package io.llmgateway.cli.onboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.llmgateway.core.money.Money;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates the seed's onboarding CSV: a header naming {@code email,tier} and optionally
 * {@code alias,budget,rpm} (any order), then one user per line. Every problem of every line is
 * collected, with its line number, before anything is onboarded. Emails are compared and stored in
 * lower case; tiers match case-insensitively. Parsing is Jackson's RFC 4180 CSV (quotes, embedded
 * commas, CRLF). Stateless and thread-safe.
 */
public final class OnboardingCsv {
  static final List<String> COLUMNS = List.of("email", "tier", "alias", "budget", "rpm");
  static final Set<String> REQUIRED = Set.of("email", "tier");

  /** The user id is the email, and ids are at most 128 characters (core's limit). */
  static final int MAX_EMAIL = 128;

  static final int MAX_ALIAS = 256;

  // A pragmatic address check (RFC 5322 dot-atom local part, DNS labels with a dot): catches
  // typos and swapped columns, not deliverability.
  private static final Pattern EMAIL =
      Pattern.compile(
          "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
              + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final CsvMapper CSV =
      CsvMapper.builder()
          .enable(CsvParser.Feature.WRAP_AS_ARRAY)
          .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
          .enable(CsvParser.Feature.TRIM_SPACES)
          .build();

  private OnboardingCsv() {}

  /**
   * Reads every row and validates it against the known tiers (lower-case names).
   *
   * @throws IOException if the reader fails (not for malformed CSV, which is a problem)
   */
  public static OnboardingFile read(Reader reader, Set<String> knownTiers) throws IOException {
    List<RowProblem> problems = new ArrayList<>();
    List<OnboardingRow> valid = new ArrayList<>();
    Map<String, Integer> firstLineOfEmail = new HashMap<>();
    int dataRows = 0;
    try (MappingIterator<List<String>> it =
        CSV.readerForListOf(String.class).with(CsvSchema.emptySchema()).readValues(reader)) {
      if (!it.hasNextValue()) {
        problems.add(
            new RowProblem(
                1, "the file is empty: expected a header 'email,tier,alias,budget,rpm'"));
        return new OnboardingFile(0, valid, problems);
      }
      Map<String, Integer> columns = header(it.nextValue(), problems);
      if (columns == null) {
        return new OnboardingFile(0, valid, problems);
      }
      while (it.hasNextValue()) {
        List<String> fields = it.nextValue();
        // After a row is read, the token location is where that row started (multi-line quoted
        // fields included); before, it is still the previous row's.
        int line = it.getParser().currentTokenLocation().getLineNr();
        dataRows++;
        int before = problems.size();
        OnboardingRow row = row(line, fields, columns, knownTiers, problems);
        // Duplicates are found even when the first occurrence is bad for another reason.
        String email = field(fields, columns, "email").toLowerCase(Locale.ROOT);
        if (fields.size() <= columns.size() && EMAIL.matcher(email).matches()) {
          Integer first = firstLineOfEmail.putIfAbsent(email, line);
          if (first != null) {
            problems.add(
                new RowProblem(
                    line, "duplicate email " + email + " (first on line " + first + ")"));
          }
        }
        if (row != null && problems.size() == before) {
          valid.add(row);
        }
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      problems.add(
          new RowProblem(
              line,
              "malformed CSV ("
                  + e.getOriginalMessage()
                  + "); the rest of the file was not read: check quotes on this line"));
    }
    return new OnboardingFile(dataRows, valid, problems);
  }

  private static Map<String, Integer> header(List<String> names, List<RowProblem> problems) {
    Map<String, Integer> columns = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i).replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
      if (COLUMNS.contains(n) && columns.putIfAbsent(n, i) == null) {
        continue;
      }
      unknown.add(n.isEmpty() ? "(empty)" : n);
    }
    List<String> missing = REQUIRED.stream().filter(r -> !columns.containsKey(r)).sorted().toList();
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      problems.add(
          new RowProblem(
              1,
              "header must name the columns email,tier,alias,budget,rpm (email and tier required);"
                  + (missing.isEmpty() ? "" : " missing " + String.join(", ", missing) + ";")
                  + (unknown.isEmpty()
                      ? ""
                      : " unknown or repeated " + String.join(", ", unknown) + ";")
                  + " found '"
                  + String.join(",", names)
                  + "'"));
      return null;
    }
    return columns;
  }

  private static OnboardingRow row(
      int line,
      List<String> fields,
      Map<String, Integer> columns,
      Set<String> knownTiers,
      List<RowProblem> problems) {
    if (fields.size() > columns.size()) {
      problems.add(
          new RowProblem(
              line,
              fields.size()
                  + " fields but the header has "
                  + columns.size()
                  + " (quote values that contain commas)"));
      return null;
    }
    String email = field(fields, columns, "email").toLowerCase(Locale.ROOT);
    String tier = field(fields, columns, "tier").toLowerCase(Locale.ROOT);
    String alias = field(fields, columns, "alias");
    String budget = field(fields, columns, "budget");
    String rpm = field(fields, columns, "rpm");
    boolean ok = true;

    if (email.isEmpty()) {
      ok = problem(problems, line, "email is missing");
    } else if (email.length() > MAX_EMAIL) {
      ok = problem(problems, line, "email is longer than " + MAX_EMAIL + " characters");
    } else if (!EMAIL.matcher(email).matches()) {
      ok = problem(problems, line, "'" + printable(email) + "' is not a valid email address");
    }

    if (tier.isEmpty()) {
      ok =
          problem(
              problems,
              line,
              "tier is missing (one of " + String.join(", ", sorted(knownTiers)) + ")");
    } else if (!knownTiers.contains(tier)) {
      ok =
          problem(
              problems,
              line,
              "unknown tier '"
                  + printable(tier)
                  + "' (known: "
                  + (knownTiers.isEmpty()
                      ? "none; run 'gateway-admin teams sync' first"
                      : String.join(", ", sorted(knownTiers)))
                  + ")");
    }

    if (alias.length() > MAX_ALIAS) {
      ok = problem(problems, line, "alias is longer than " + MAX_ALIAS + " characters");
    } else if (alias.chars().anyMatch(Character::isISOControl)) {
      ok = problem(problems, line, "alias contains a control character");
    }

    Optional<Money> daily = Optional.empty();
    if (!budget.isEmpty()) {
      try {
        BigDecimal usd = new BigDecimal(budget.startsWith("$") ? budget.substring(1) : budget);
        if (usd.signum() < 0) {
          ok =
              problem(
                  problems,
                  line,
                  "budget "
                      + printable(budget)
                      + " is negative: give a daily budget in USD, e.g. 0.05, or leave it empty");
        } else {
          daily = Optional.of(Money.ofUsd(usd));
        }
      } catch (NumberFormatException e) {
        ok =
            problem(
                problems,
                line,
                "budget '"
                    + printable(budget)
                    + "' is not a number: give a daily budget in USD, e.g. 0.05, or leave it empty");
      } catch (IllegalArgumentException e) {
        ok = problem(problems, line, "budget " + printable(budget) + ": " + e.getMessage());
      }
    }

    OptionalLong limit = OptionalLong.empty();
    if (!rpm.isEmpty()) {
      try {
        long n = Long.parseLong(rpm);
        if (n < 1 || n > 1_000_000_000L) {
          ok =
              problem(
                  problems,
                  line,
                  "rpm "
                      + printable(rpm)
                      + " must be between 1 and 1000000000 requests per minute");
        } else {
          limit = OptionalLong.of(n);
        }
      } catch (NumberFormatException e) {
        ok =
            problem(
                problems,
                line,
                "rpm '" + printable(rpm) + "' is not a whole number of requests per minute");
      }
    }
    if (!ok) {
      return null;
    }
    return new OnboardingRow(
        line, email, tier, alias.isEmpty() ? Optional.empty() : Optional.of(alias), daily, limit);
  }

  private static boolean problem(List<RowProblem> problems, int line, String message) {
    problems.add(new RowProblem(line, message));
    return false;
  }

  private static String field(List<String> fields, Map<String, Integer> columns, String name) {
    Integer i = columns.get(name);
    if (i == null || i >= fields.size() || fields.get(i) == null) {
      return "";
    }
    return fields.get(i).trim();
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  /** Echoes input in messages without control characters (a CSV can hold anything). */
  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
