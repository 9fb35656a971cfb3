package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spend log as a list; rows arrive only through {@link InMemoryBudgetLedger}. Queries return
 * newest first by end time. Thread-safe (one lock).
 */
final class InMemorySpendLog implements SpendLog {
  /** The group name of records without a team or user. */
  static final String NONE = "(none)";

  private final ReentrantLock lock = new ReentrantLock();
  private final List<SpendRecord> records = new ArrayList<>();

  void append(SpendRecord record) {
    lock.lock();
    try {
      records.add(record);
    } finally {
      lock.unlock();
    }
  }

  /** The total cost of the records {@code which} accepts. */
  Money total(java.util.function.Predicate<SpendRecord> which) {
    lock.lock();
    try {
      Money sum = Money.ZERO;
      for (SpendRecord r : records) {
        if (which.test(r)) {
          sum = sum.plus(r.cost());
        }
      }
      return sum;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Page<SpendRecord> query(SpendQuery q) {
    List<SpendRecord> matching;
    lock.lock();
    try {
      matching =
          records.stream()
              .filter(r -> q.keyId().isEmpty() || q.keyId().get().equals(r.keyId()))
              .filter(r -> q.userId().isEmpty() || r.userId().equals(q.userId()))
              .filter(r -> q.teamId().isEmpty() || r.teamId().equals(q.teamId()))
              .filter(r -> q.model().isEmpty() || q.model().get().equals(r.model()))
              .filter(r -> q.requestId().isEmpty() || q.requestId().get().equals(r.requestId()))
              .filter(r -> q.from().isEmpty() || !r.endedAt().isBefore(q.from().get()))
              .filter(r -> q.to().isEmpty() || r.endedAt().isBefore(q.to().get()))
              .sorted(
                  Comparator.comparing(SpendRecord::endedAt)
                      .reversed()
                      .thenComparing(SpendRecord::requestId))
              .toList();
    } finally {
      lock.unlock();
    }
    return Paging.page(matching, q.page());
  }

  @Override
  public List<SpendTotal> report(
      SpendGroup group, Instant from, Instant to, ZoneId zone, SpendScope scope) {
    Map<String, long[]> totals = new LinkedHashMap<>();
    lock.lock();
    try {
      for (SpendRecord r : records) {
        if (r.endedAt().isBefore(from) || !r.endedAt().isBefore(to) || !scope.includes(r)) {
          continue;
        }
        long[] t = totals.computeIfAbsent(groupOf(r, group, zone), g -> new long[4]);
        t[0]++;
        t[1] += r.usage().map(u -> u.promptTokens()).orElse(0L);
        t[2] += r.usage().map(u -> u.outputTokens()).orElse(0L);
        t[3] = Math.addExact(t[3], r.cost().nanos());
      }
    } finally {
      lock.unlock();
    }
    return totals.entrySet().stream()
        .map(
            e -> {
              long[] t = e.getValue();
              return new SpendTotal(e.getKey(), t[0], t[1], t[2], Money.ofNanos(t[3]));
            })
        .sorted(Comparator.comparing(SpendTotal::cost).reversed().thenComparing(SpendTotal::group))
        .toList();
  }

  @Override
  public List<SpendBucket> series(SpendSeriesQuery q, ZoneId zone) {
    record Cell(LocalDateTime start, String group) {}
    Map<Cell, long[]> totals = new LinkedHashMap<>();
    lock.lock();
    try {
      for (SpendRecord r : records) {
        if (r.endedAt().isBefore(q.from())
            || !r.endedAt().isBefore(q.to())
            || !matches(q.keyId(), r.keyId())
            || !matches(q.userId(), r.userId().orElse(null))
            || !matches(q.teamId(), r.teamId().orElse(null))
            || !matches(q.model(), r.model())) {
          continue;
        }
        LocalDateTime local = LocalDateTime.ofInstant(r.endedAt(), zone);
        LocalDateTime start =
            q.bucket() == SpendSeriesQuery.Bucket.HOUR
                ? local.truncatedTo(ChronoUnit.HOURS)
                : local.truncatedTo(ChronoUnit.DAYS);
        String group = q.by().map(g -> groupOf(r, g, zone)).orElse(SpendBucket.ALL);
        long[] t = totals.computeIfAbsent(new Cell(start, group), c -> new long[4]);
        t[0]++;
        t[1] += r.usage().map(u -> u.promptTokens()).orElse(0L);
        t[2] += r.usage().map(u -> u.outputTokens()).orElse(0L);
        t[3] = Math.addExact(t[3], r.cost().nanos());
      }
    } finally {
      lock.unlock();
    }
    return totals.entrySet().stream()
        .map(
            e -> {
              long[] t = e.getValue();
              return new SpendBucket(
                  e.getKey().start(), e.getKey().group(), t[0], t[1], t[2], Money.ofNanos(t[3]));
            })
        .sorted(
            Comparator.comparing(SpendBucket::start)
                .thenComparing(Comparator.comparing(SpendBucket::cost).reversed())
                .thenComparing(SpendBucket::group))
        .toList();
  }

  private static boolean matches(java.util.Optional<String> wanted, String actual) {
    return wanted.isEmpty() || wanted.get().equals(actual);
  }

  private static String groupOf(SpendRecord r, SpendGroup group, ZoneId zone) {
    return switch (group) {
      case TEAM -> r.teamId().orElse(NONE);
      case USER -> r.userId().orElse(NONE);
      case KEY -> r.keyId();
      case MODEL -> r.model();
      case DAY -> LocalDate.ofInstant(r.endedAt(), zone).toString();
    };
  }
}
