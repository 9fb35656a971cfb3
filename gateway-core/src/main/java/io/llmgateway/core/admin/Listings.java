package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** Reads a paged store listing to its end: for admin-rate work over a team's or all objects. */
final class Listings {
  private Listings() {}

  static <T> Stream<T> all(Function<PageRequest, Page<T>> list) {
    List<T> items = new ArrayList<>();
    for (int page = 1; ; page++) {
      List<T> batch = list.apply(new PageRequest(page, PageRequest.MAX_SIZE)).items();
      items.addAll(batch);
      if (batch.size() < PageRequest.MAX_SIZE) {
        return items.stream();
      }
    }
  }
}
