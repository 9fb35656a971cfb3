package io.llmgateway.core.spend;

import io.llmgateway.core.money.Money;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One bucket of a spend series: its start on the local clock of the budget time zone (an hour or
 * midnight), the group inside it ({@link #ALL} when the series is not grouped; {@code (none)} for
 * records without a team or user) and its totals. Local time, not an instant: a day is a calendar
 * day however long it is, and the hour repeated when clocks go back is one bucket. Input tokens
 * count cached ones too, as {@link SpendTotal}. Immutable and thread-safe.
 */
public record SpendBucket(
    LocalDateTime start,
    String group,
    long requests,
    long inputTokens,
    long outputTokens,
    Money cost) {
  /** The group of an ungrouped series. */
  public static final String ALL = "(all)";

  public SpendBucket {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cost, "cost");
  }
}
