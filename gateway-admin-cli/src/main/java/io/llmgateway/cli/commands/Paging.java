package io.llmgateway.cli.commands;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import java.util.function.Consumer;
import java.util.function.Function;

/** Walks a paged listing up to a limit. Stateless. */
final class Paging {
  private Paging() {}

  static <T> long each(int limit, Function<PageRequest, Page<T>> fetch, Consumer<T> action) {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be 1 or more");
    }
    long seen = 0;
    int size = Math.min(limit, PageRequest.MAX_SIZE);
    for (int page = 1; ; page++) {
      Page<T> p = fetch.apply(new PageRequest(page, size));
      for (T item : p.items()) {
        if (seen >= limit) {
          return p.total();
        }
        action.accept(item);
        seen++;
      }
      if (p.items().isEmpty() || page >= p.totalPages() || seen >= limit) {
        return p.total();
      }
    }
  }
}
