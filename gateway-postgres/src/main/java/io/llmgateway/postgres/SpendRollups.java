package io.llmgateway.postgres;

import io.llmgateway.core.spend.SpendGroup;
import java.util.EnumSet;
import java.util.Set;

/**
 * The daily rollup tables (V123, V126) and the one choice of which a report reads: the coarsest
 * that holds every column the report groups or filters by. Declared coarsest first, by their rows a
 * day in a gateway of many keys per user and many users per team (docs/POSTGRES.md "The spend log":
 * ~700, ~1,400, ~5,000 and ~52,000 a day at 10 million rows a month). Every table has the day and
 * the same sums, and spend_rollup() keeps each equal to the spend log below its watermark.
 */
enum SpendRollups {
  TEAM("spend_daily_team", EnumSet.of(Column.TEAM, Column.MODEL)),
  USER("spend_daily_user", EnumSet.of(Column.USER, Column.TEAM)),
  KEY("spend_daily_key", EnumSet.of(Column.KEY, Column.USER, Column.TEAM)),
  FULL("spend_daily", EnumSet.allOf(Column.class));

  /** A column a report groups or filters by, besides the day. */
  enum Column {
    KEY,
    USER,
    TEAM,
    MODEL;

    /** The column a grouping needs; none for DAY (every table has the day). */
    static Set<Column> of(SpendGroup group) {
      return switch (group) {
        case KEY -> EnumSet.of(KEY);
        case USER -> EnumSet.of(USER);
        case TEAM -> EnumSet.of(TEAM);
        case MODEL -> EnumSet.of(MODEL);
        case DAY -> EnumSet.noneOf(Column.class);
      };
    }
  }

  private final String table;
  private final Set<Column> columns;

  SpendRollups(String table, Set<Column> columns) {
    this.table = table;
    this.columns = columns;
  }

  String table() {
    return table;
  }

  /** The coarsest rollup holding {@code needed} (spend_daily holds them all). */
  static SpendRollups choose(Set<Column> needed) {
    for (SpendRollups r : values()) {
      if (r.columns.containsAll(needed)) {
        return r;
      }
    }
    throw new AssertionError("spend_daily holds every column");
  }
}
