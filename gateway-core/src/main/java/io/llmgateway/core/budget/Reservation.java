package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Money held on every applicable counter for one request until it is settled or expires. Immutable
 * and thread-safe.
 */
public record Reservation(
    String id, List<CounterKey> counters, Money amount, Instant createdAt, Instant expiresAt) {
  public Reservation {
    Objects.requireNonNull(id, "id");
    counters = List.copyOf(counters);
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
