package io.llmgateway.core;

import java.util.List;

/** One page of a listing, with the total count across pages. Immutable and thread-safe. */
public record Page<T>(List<T> items, long total, PageRequest request) {
  public Page {
    items = List.copyOf(items);
    if (total < 0) {
      throw new IllegalArgumentException("total must not be negative");
    }
  }

  public long totalPages() {
    return total == 0 ? 0 : (total + request.size() - 1) / request.size();
  }
}
