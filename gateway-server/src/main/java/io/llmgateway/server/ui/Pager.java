package io.llmgateway.server.ui;

import io.llmgateway.core.Page;

/** Previous/next links for a paged table; {@code query} carries the filters. Immutable. */
record Pager(long total, long page, long pages, String prev, String next) {

  static Pager of(Page<?> p, String base) {
    long page = p.request().page();
    long pages = Math.max(1, p.totalPages());
    String sep = base.contains("?") ? "&" : "?";
    return new Pager(
        p.total(),
        page,
        pages,
        page > 1 ? base + sep + "page=" + (page - 1) : null,
        page < pages ? base + sep + "page=" + (page + 1) : null);
  }
}
