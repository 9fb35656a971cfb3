package io.llmgateway.cli.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a key's, user's or team's budget alerts (docs/ALERTS.md), as {@code
 * --alert-thresholds} and {@code --soft-budget} give it.
 *
 * @param kind {@code key}, {@code user} or {@code team}
 * @param thresholds absent: unchanged; present and empty: inherit again; else the fractions as
 *     typed ({@code "0.5"}), {@code []} turning fraction alerts off
 * @param softUsd absent: unchanged; present and empty: cleared; else USD as typed
 * @param daily the soft budget's window: daily, else monthly
 */
public record AlertChange(
    String kind,
    String id,
    Optional<Optional<List<String>>> thresholds,
    Optional<Optional<String>> softUsd,
    boolean daily) {
  public AlertChange {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(id);
    Objects.requireNonNull(thresholds);
    Objects.requireNonNull(softUsd);
  }
}
