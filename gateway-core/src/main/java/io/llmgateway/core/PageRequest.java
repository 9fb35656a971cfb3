package io.llmgateway.core;

/**
 * A 1-based page number and a bounded size: no listing is ever unbounded. Immutable and
 * thread-safe.
 */
public record PageRequest(int page, int size) {
  public static final int MAX_SIZE = 1000;

  public PageRequest {
    if (page < 1) {
      throw new IllegalArgumentException("page must be 1 or more");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("page size must be between 1 and " + MAX_SIZE);
    }
  }

  public static PageRequest first(int size) {
    return new PageRequest(1, size);
  }

  public long offset() {
    return (long) (page - 1) * size;
  }
}
