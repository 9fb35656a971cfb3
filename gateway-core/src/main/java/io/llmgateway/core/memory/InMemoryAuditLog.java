package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** Audit events in append order, listed newest first. Thread-safe (one lock). */
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

  @Override
  public Page<AuditEvent> list(Optional<String> targetType, PageRequest page) {
    List<AuditEvent> matching = new ArrayList<>();
    lock.lock();
    try {
      // Appended in time order, so walking backwards is newest first (stable for equal instants).
      for (int i = events.size() - 1; i >= 0; i--) {
        AuditEvent e = events.get(i);
        if (targetType.isEmpty() || targetType.get().equals(e.targetType())) {
          matching.add(e);
        }
      }
    } finally {
      lock.unlock();
    }
    return Paging.page(matching, page);
  }
}
