package io.llmgateway.core.spend;

import io.llmgateway.core.money.Money;

/** One row of a spend report: a group and its totals. Immutable and thread-safe. */
public record SpendTotal(
    String group, long requests, long inputTokens, long outputTokens, Money cost) {}
