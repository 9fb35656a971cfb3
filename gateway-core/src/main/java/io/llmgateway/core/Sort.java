package io.llmgateway.core;

import java.util.Objects;

/**
 * How a listing is ordered: one field from the listing's own allow-list enum and a direction. Ties
 * (and rows without a value, which sort last in both directions) are broken by id, ascending, so a
 * page boundary never moves between two requests over the same data. Immutable and thread-safe.
 *
 * @param <F> the fields that listing may be ordered by; nothing else can name a column
 */
public record Sort<F extends Enum<F>>(F field, boolean descending) {
  public Sort {
    Objects.requireNonNull(field, "field");
  }

  public static <F extends Enum<F>> Sort<F> asc(F field) {
    return new Sort<>(field, false);
  }

  public static <F extends Enum<F>> Sort<F> desc(F field) {
    return new Sort<>(field, true);
  }
}
