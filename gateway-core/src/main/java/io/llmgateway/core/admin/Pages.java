package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page over several paged sources read one after the other (a team admin of several teams lists
 * the users of each team in turn): totals add up, and the page's items are cut from the sources it
 * spans, so paging through it visits every item once.
 */
final class Pages {
  private Pages() {}

  static <T> Page<T> concat(List<Function<PageRequest, Page<T>>> sources, PageRequest page) {
    if (sources.size() == 1) {
      return sources.getFirst().apply(page);
    }
    long[] totals = new long[sources.size()];
    long total = 0;
    for (int i = 0; i < totals.length; i++) {
      totals[i] = sources.get(i).apply(PageRequest.first(1)).total();
      total += totals[i];
    }
    List<T> items = new ArrayList<>();
    long start = page.offset();
    long before = 0;
    for (int i = 0; i < totals.length && items.size() < page.size(); i++) {
      long from = Math.max(0, start + items.size() - before);
      if (from < totals[i]) {
        items.addAll(slice(sources.get(i), from, page.size() - items.size()));
      }
      before += totals[i];
    }
    return new Page<>(items, total, page);
  }

  /** Up to {@code count} items of {@code source} from {@code from}, in pages of the same size. */
  private static <T> List<T> slice(Function<PageRequest, Page<T>> source, long from, int count) {
    List<T> out = new ArrayList<>();
    int size = count;
    long pageIndex = from / size;
    int skip = (int) (from % size);
    while (out.size() < count) {
      List<T> got = source.apply(new PageRequest((int) pageIndex + 1, size)).items();
      for (int j = skip; j < got.size() && out.size() < count; j++) {
        out.add(got.get(j));
      }
      if (got.size() < size) {
        break;
      }
      skip = 0;
      pageIndex++;
    }
    return out;
  }
}
