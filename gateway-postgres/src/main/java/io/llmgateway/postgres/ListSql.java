package io.llmgateway.postgres;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL pieces for searched and sorted listings. Nothing from a request is ever spliced into SQL: the
 * search text is a bound {@code LIKE} pattern with its wildcards escaped, and an ORDER BY column is
 * one of the constants each store maps its sort enum to (an allow-list by construction). Stateless.
 */
final class ListSql {
  private ListSql() {}

  /** The bound parameter name of the search pattern. */
  static final String SEARCH = "search";

  /** The ORDER BY column of a spend order: the {@link SpendJoin}'s sum (0 for no spend). */
  static final String SPEND = "coalesce(sp.spend, 0)";

  /**
   * Far enough ahead that no spend row ends after it, within the years the rollups' day arithmetic
   * handles ({@link SpendRollupSql}).
   */
  private static final Instant NO_END = Instant.parse("9000-01-01T00:00:00Z");

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

  /**
   * Runs a listing's statements. Ordered by spend, it runs in a transaction of its own whose first
   * statement starts the {@link SpendJoin}'s read (its snapshot); otherwise as plain statements
   * with {@link SpendJoin#NONE}.
   *
   * @param owner the spend-log and rollup column of the listed owner ({@link
   *     SpendRollups.Column#KEY} or {@link SpendRollups.Column#USER})
   * @param ownerId the listed table's id column
   */
  static <T> T listing(
      Db db,
      boolean bySpend,
      Instant since,
      SpendRollups.Column owner,
      String ownerId,
      BiFunction<Handle, SpendJoin, T> work) {
    if (!bySpend) {
      return db.with(h -> work.apply(h, SpendJoin.NONE));
    }
    return db.tx(h -> work.apply(h, SpendJoin.since(h, since, owner, ownerId)));
  }

  /**
   * The spend of each owner of a listing since a time, as {@code sp.spend} joined on the owner's id
   * ({@link #SPEND} orders by it). Read like the spend reports, from the coarsest daily rollup
   * holding the owner's column plus the rows the rollup job has not reached and the partial first
   * day (issue 21: summing spend_log per owner read every row of the period, minutes at 10 million
   * rows a month).
   */
  record SpendJoin(String sql, Optional<SpendRollupSql> parts) {
    /** No join: the listing is not ordered by spend. */
    static final SpendJoin NONE = new SpendJoin("", Optional.empty());

    private static SpendJoin since(
        Handle h, Instant since, SpendRollups.Column owner, String ownerId) {
      String column =
          switch (owner) {
            case KEY -> "key_id";
            case USER -> "user_id";
            case TEAM -> "team_id";
            case MODEL -> throw new IllegalArgumentException("a model owns no listing");
          };
      SpendRollupSql parts = SpendRollupSql.begin(h, since, NO_END, Optional.empty(), true);
      String source =
          parts.source(
              SpendRollups.choose(EnumSet.of(owner)), column + " AS grp", column + " AS grp", "");
      return new SpendJoin(
          "LEFT JOIN (SELECT grp, sum(cost) AS spend FROM "
              + source
              + " GROUP BY grp) sp ON sp.grp = "
              + ownerId
              + " ",
          Optional.of(parts));
    }

    Query bind(Query q) {
      return parts.map(p -> p.bind(q)).orElse(q);
    }
  }
}
