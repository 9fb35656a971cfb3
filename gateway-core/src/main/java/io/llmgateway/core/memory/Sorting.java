package io.llmgateway.core.memory;

import io.llmgateway.core.Sort;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The in-memory form of the stores' list order, matching PostgreSQL's: the sort field in the asked
 * direction with absent values last either way, then the id ascending (stable pages); text compares
 * by code point as PostgreSQL's {@code COLLATE "C"}. Stateless.
 */
final class Sorting {
  private Sorting() {}

  /**
   * @param value the sort field's value of a row, or null when the row has none
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T, F extends Enum<F>> Comparator<T> order(
      Sort<F> sort, Function<T, Comparable<?>> value, Function<T, String> id) {
    Comparator<Comparable> natural =
        sort.descending() ? Comparator.reverseOrder() : Comparator.naturalOrder();
    Comparator<T> byField =
        Comparator.comparing(t -> (Comparable) value.apply(t), Comparator.nullsLast(natural));
    return byField.thenComparing(id);
  }

  /** Spend in nano-USD per group for records that ended at or after {@code since}. */
  static Map<String, Long> spendSince(SpendLog log, SpendGroup group, Instant since) {
    Map<String, Long> out = new HashMap<>();
    for (SpendTotal t : log.report(group, since, Instant.MAX, ZoneOffset.UTC)) {
      out.put(t.group(), t.cost().nanos());
    }
    return out;
  }
}
