package io.llmgateway.core.spend;

import io.llmgateway.core.Page;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The port for reading the spend log. Rows are written by {@code BudgetLedger#settle} in the same
 * transaction as the counters they move. Implementations are thread-safe.
 */
public interface SpendLog {

  Page<SpendRecord> query(SpendQuery query);

  /**
   * Totals grouped by {@code group} for records that ended in {@code [from, to)}; days are calendar
   * days in {@code zone}. Ordered by cost, highest first.
   */
  default List<SpendTotal> report(SpendGroup group, Instant from, Instant to, ZoneId zone) {
    return report(group, from, to, zone, SpendScope.ALL);
  }

  /** As {@link #report(SpendGroup, Instant, Instant, ZoneId)}, over the rows in {@code scope}. */
  List<SpendTotal> report(
      SpendGroup group, Instant from, Instant to, ZoneId zone, SpendScope scope);

  /**
   * Totals per time bucket (an hour or a calendar day on the local clock of {@code zone}) and, if
   * the query groups, per group, for records that ended in {@code [from, to)} and match its
   * filters. Ordered by bucket, then cost (highest first), then group. Empty buckets are absent.
   */
  List<SpendBucket> series(SpendSeriesQuery query, ZoneId zone);

  /**
   * Hands every record that ended in {@code [from, to)} to {@code sink}, one at a time, without
   * holding them all (an export may cover millions): PostgreSQL reads them with a cursor. This
   * default pages through {@link #query}, for small stores.
   */
  default void export(Instant from, Instant to, java.util.function.Consumer<SpendRecord> sink) {
    for (int page = 1; ; page++) {
      Page<SpendRecord> p =
          query(
              SpendQuery.builder(
                      new io.llmgateway.core.PageRequest(
                          page, io.llmgateway.core.PageRequest.MAX_SIZE))
                  .from(from)
                  .to(to)
                  .build());
      p.items().forEach(sink);
      if (p.items().size() < io.llmgateway.core.PageRequest.MAX_SIZE) {
        return;
      }
    }
  }
}
