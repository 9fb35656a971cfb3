package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditLog;
import io.llmgateway.core.audit.AuditQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Audit events in append order, listed as PostgreSQL lists them: filtered, then in the query's
 * order with ties newest first (the append position stands for PostgreSQL's {@code seq}); text
 * compares by code point as {@code COLLATE "C"}. Thread-safe (one lock).
 */
final class InMemoryAuditLog implements AuditLog {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<AuditEvent> events = new ArrayList<>();

  @Override
  public void append(AuditEvent event) {
    lock.lock();
    try {
      events.add(event);
    } finally {
      lock.unlock();
    }
  }

  /** An event with its append position. */
  private record Row(int seq, AuditEvent event) {}

  @Override
  public Page<AuditEvent> list(AuditQuery query) {
    List<Row> matching = new ArrayList<>();
    lock.lock();
    try {
      for (int i = 0; i < events.size(); i++) {
        if (query.matches(events.get(i))) {
          matching.add(new Row(i, events.get(i)));
        }
      }
    } finally {
      lock.unlock();
    }
    matching.sort(order(query));
    return Paging.page(matching.stream().map(Row::event).toList(), query.page());
  }

  private static Comparator<Row> order(AuditQuery query) {
    boolean desc = query.sort().descending();
    Comparator<Row> newestFirst = Comparator.comparingInt(Row::seq).reversed();
    Comparator<Row> field =
        switch (query.sort().field()) {
          // Time ties keep append order in the asked direction, as PostgreSQL's (at, seq).
          case TIME -> Comparator.comparing((Row r) -> r.event().at()).thenComparingInt(Row::seq);
          case ACTOR -> Comparator.comparing((Row r) -> r.event().actor());
          case ACTION -> Comparator.comparing((Row r) -> r.event().action());
          case TARGET ->
              Comparator.comparing((Row r) -> r.event().targetType())
                  .thenComparing(r -> r.event().targetId());
        };
    Comparator<Row> directed = desc ? field.reversed() : field;
    return directed.thenComparing(newestFirst);
  }
}
