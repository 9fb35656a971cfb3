package io.llmgateway.core.identity;

import io.llmgateway.core.PageRequest;
import java.util.Optional;

/** Filters for listing keys. Immutable and thread-safe. */
public record KeyQuery(
    Optional<String> userId, Optional<String> teamId, Optional<String> alias, PageRequest page) {

  public static KeyQuery all(PageRequest page) {
    return new KeyQuery(Optional.empty(), Optional.empty(), Optional.empty(), page);
  }
}
