package io.llmgateway.cli.onboard;

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
 * commas, CRLF) by {@link CsvRecords}, which knows the line each row starts on. Stateless and
 * thread-safe.
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
    boolean headerValid = false;
    CsvRecords records = new CsvRecords(reader);
    try {
      CsvRecords.Record first = records.next();
      if (first == null) {
        problems.add(
            new RowProblem(
                1, "the file is empty: expected a header 'email,tier,alias,budget,rpm'"));
        return new OnboardingFile(0, false, valid, problems);
      }
      Map<String, Integer> columns = header(first.line(), first.fields(), problems);
      headerValid = columns != null;
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        dataRows++;
        if (columns == null) {
          continue; // counted, not validated: without a header the columns mean nothing
        }
        int line = r.line();
        List<String> fields = r.fields();
        int before = problems.size();
        OnboardingRow row = row(line, fields, columns, knownTiers, problems);
        // Duplicates are found even when the first occurrence is bad for another reason.
        String email = field(fields, columns, "email").toLowerCase(Locale.ROOT);
        if (fields.size() <= columns.size() && EMAIL.matcher(email).matches()) {
          Integer firstLine = firstLineOfEmail.putIfAbsent(email, line);
          if (firstLine != null) {
            problems.add(
                new RowProblem(
                    line, "duplicate email " + email + " (first on line " + firstLine + ")"));
          }
        }
        if (row != null && problems.size() == before) {
          valid.add(row);
        }
      }
    } catch (CsvRecords.UnclosedQuote e) {
      // The row with the open quote is a data row too (it swallowed the rest of the file).
      dataRows++;
      problems.add(
          new RowProblem(
              e.line,
              "malformed CSV: "
                  + e.getMessage()
                  + "; the rest of the file was not read: close the quote on this line"));
    }
    return new OnboardingFile(dataRows, headerValid, valid, problems);
  }

  private static Map<String, Integer> header(
      int line, List<String> names, List<RowProblem> problems) {
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
              line,
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
