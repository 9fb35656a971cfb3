package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Ask the ledger to hold {@code amount} on every line, all or nothing. {@code pending} describes
 * the request so that an expired reservation can be written to the spend log by any instance.
 * Immutable and thread-safe.
 */
public record ReservationRequest(
    String reservationId,
    List<BudgetLine> lines,
    Money amount,
    Instant now,
    Instant expiresAt,
    SpendRecord pending) {
  public ReservationRequest {
    Objects.requireNonNull(reservationId, "reservationId");
    lines = List.copyOf(lines);
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(pending, "pending");
    if (!expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("reservation must expire after it is made");
    }
  }
}
