package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RefusalQuery;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Refusals in memory, at most {@code capacity} (the oldest go first), so an embedded gateway
 * without a database cannot grow without bound. Thread-safe (one lock).
 */
final class InMemoryRefusalLog implements RefusalLog {
  static final Comparator<Refusal> NEWEST_FIRST =
      Comparator.comparing(Refusal::at).reversed().thenComparing(Refusal::requestId);

  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Refusal> rows = new ArrayDeque<>();
  private final int capacity;

  InMemoryRefusalLog(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public void append(List<Refusal> batch) {
    lock.lock();
    try {
      for (Refusal r : batch) {
        rows.addLast(r);
        if (rows.size() > capacity) {
          rows.removeFirst();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Page<Refusal> query(RefusalQuery q) {
    List<Refusal> matching;
    lock.lock();
    try {
      matching =
          rows.stream()
              .filter(r -> q.keyId().isEmpty() || r.keyId().equals(q.keyId()))
              .filter(r -> q.userId().isEmpty() || r.userId().equals(q.userId()))
              .filter(r -> q.teamId().isEmpty() || r.teamId().equals(q.teamId()))
              .filter(r -> q.model().isEmpty() || r.model().equals(q.model()))
              .filter(r -> q.reason().isEmpty() || q.reason().get().equals(r.reason()))
              .filter(r -> q.from().isEmpty() || !r.at().isBefore(q.from().get()))
              .filter(r -> q.to().isEmpty() || r.at().isBefore(q.to().get()))
              .sorted(NEWEST_FIRST)
              .toList();
    } finally {
      lock.unlock();
    }
    int from = (int) Math.min(matching.size(), q.page().offset());
    int to = Math.min(matching.size(), from + q.page().size());
    return new Page<>(matching.subList(from, to), matching.size(), q.page());
  }

  @Override
  public int purgeBefore(Instant before, int limit) {
    lock.lock();
    try {
      int n = 0;
      var it = rows.iterator();
      while (it.hasNext() && n < limit) {
        if (it.next().at().isBefore(before)) {
          it.remove();
          n++;
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }
}
