package io.llmgateway.cli.admin;

import java.time.Instant;
import java.util.Optional;

/** One recorded budget alert as {@code alerts list} shows it, whichever mode read it. */
public record AlertRow(
    String idempotencyId,
    Instant crossedAt,
    String scopeKind,
    String scopeId,
    String window,
    String period,
    String threshold,
    String state,
    int attempts,
    Optional<String> lastError) {}
