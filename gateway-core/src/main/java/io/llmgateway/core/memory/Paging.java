package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import java.util.List;

/** Cuts one page out of an already filtered and ordered list. */
final class Paging {
  private Paging() {}

  static <T> Page<T> page(List<T> ordered, PageRequest request) {
    long offset = request.offset();
    if (offset >= ordered.size()) {
      return new Page<>(List.of(), ordered.size(), request);
    }
    int from = (int) offset;
    int to = Math.min(ordered.size(), from + request.size());
    return new Page<>(ordered.subList(from, to), ordered.size(), request);
  }
}
