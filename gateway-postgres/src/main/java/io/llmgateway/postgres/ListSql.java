package io.llmgateway.postgres;

import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL pieces for searched and sorted listings. Nothing from a request is ever spliced into SQL: the
 * search text is a bound {@code LIKE} pattern with its wildcards escaped, and an ORDER BY column is
 * one of the constants each store maps its sort enum to (an allow-list by construction). Stateless.
 */
final class ListSql {
  private ListSql() {}

  /** The bound parameter name of the search pattern. */
  static final String SEARCH = "search";

  /** The bound parameter name of the start of the spend period for a spend order. */
  static final String SINCE = "since";

  /**
   * The LIKE escape character. Not a backslash: Jdbi's statement parser reads {@code '\'} as an
   * escaped quote and the rest of the statement as a string literal.
   */
  private static final String ESCAPE = "!";

  /**
   * A {@code LIKE} pattern matching {@code text} anywhere, with {@code ! % _} escaped so that they
   * match themselves (used with {@code ESCAPE '!'}); a backslash needs no escape then.
   */
  static String containsPattern(String text) {
    String escaped =
        text.replace(ESCAPE, ESCAPE + ESCAPE).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_");
    return "%" + escaped + "%";
  }

  /** {@code (a ILIKE :search ESCAPE '!' OR b ILIKE ...)} over the given columns. */
  static String searchCondition(List<String> columns) {
    return columns.stream()
        .map(c -> c + " ILIKE :" + SEARCH + " ESCAPE '" + ESCAPE + "'")
        .collect(Collectors.joining(" OR ", "(", ")"));
  }

  /**
   * An ORDER BY clause: {@code column} in the asked direction with NULLs last either way, then the
   * id ascending so pages are stable. Text columns should be given with {@code COLLATE "C"} so the
   * order is by code point, as in memory.
   */
  static String orderBy(String column, boolean descending, String idColumn) {
    return "ORDER BY "
        + column
        + (descending ? " DESC" : " ASC")
        + " NULLS LAST, "
        + idColumn
        + " COLLATE \"C\" ASC ";
  }

  /** A text column compared by code point. */
  static String text(String column) {
    return column + " COLLATE \"C\"";
  }

  /** The cost of {@code column}'s spend-log rows that ended at or after {@code :since}. */
  static String spendSince(String spendColumn, String ownerId) {
    return "(SELECT coalesce(sum(s.cost_nanos), 0) FROM spend_log s WHERE s."
        + spendColumn
        + " = "
        + ownerId
        + " AND s.ended_at >= :"
        + SINCE
        + ")";
  }
}
