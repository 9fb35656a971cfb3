package io.llmgateway.core.audit;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import java.util.Optional;

/** The append-only port for admin changes. Implementations are thread-safe. */
public interface AuditLog {

  void append(AuditEvent event);

  /** The events {@code query} selects, in its order (ties newest first), one page of them. */
  Page<AuditEvent> list(AuditQuery query);

  /** Newest first, optionally only events about one target type (team, user, key, model). */
  default Page<AuditEvent> list(Optional<String> targetType, PageRequest page) {
    return list(AuditQuery.ofType(targetType, page));
  }
}
