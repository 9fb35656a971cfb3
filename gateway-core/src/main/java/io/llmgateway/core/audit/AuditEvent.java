package io.llmgateway.core.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One admin change: who did what to which object, with the object before and after (never a secret
 * or a key hash). Immutable and thread-safe.
 */
public record AuditEvent(
    String id,
    Instant at,
    String actor,
    String action,
    String targetType,
    String targetId,
    Map<String, Object> before,
    Map<String, Object> after) {
  public AuditEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(targetType, "targetType");
    Objects.requireNonNull(targetId, "targetId");
    before = Map.copyOf(before);
    after = Map.copyOf(after);
  }
}
