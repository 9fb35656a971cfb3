package io.llmgateway.core.identity;

import io.llmgateway.core.PageRequest;
import java.util.Optional;

/** Filters for listing users. Immutable and thread-safe. */
public record UserQuery(Optional<String> teamId, PageRequest page) {
  public static UserQuery all(PageRequest page) {
    return new UserQuery(Optional.empty(), page);
  }
}
