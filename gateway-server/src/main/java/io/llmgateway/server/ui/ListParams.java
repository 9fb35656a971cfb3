package io.llmgateway.server.ui;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A list page's search, sort and filters from the query string ({@code ?q=&sort=&dir=&page=} plus
 * the page's own filters), and the links that keep them: sortable column headers (the current sort
 * marked, a click on it turns the direction round) and the pager's base. The sort names a column
 * from the page's allow-list; anything else falls back to the default. Immutable.
 *
 * @param filters the page's filters that are set, in the page's order (values as typed)
 */
record ListParams(
    String path,
    Optional<String> search,
    String sort,
    boolean descending,
    Map<String, String> filters,
    int page) {

  /** A column header: its label, and for a sortable column the link and the current mark. */
  record Column(String label, String href, String mark, String ariaSort) {}

  /** A sortable column: its query name, label, and the direction a first click sorts it in. */
  record Sortable(String name, String label, boolean descendingFirst) {
    static Sortable asc(String name, String label) {
      return new Sortable(name, label, false);
    }

    static Sortable desc(String name, String label) {
      return new Sortable(name, label, true);
    }
  }

  static ListParams of(
      Context ctx,
      String path,
      List<Sortable> sortable,
      String defaultSort,
      List<String> filterNames) {
    String sort = ctx.queryParam("sort");
    Optional<Sortable> known = sortable.stream().filter(s -> s.name().equals(sort)).findFirst();
    String dir = ctx.queryParam("dir");
    String name = known.map(Sortable::name).orElse(defaultSort);
    boolean desc = dir == null ? isDescFirst(sortable, name) : dir.equals("desc");
    Map<String, String> filters = new LinkedHashMap<>();
    for (String f : filterNames) {
      String v = ctx.queryParam(f);
      if (v != null && !v.isBlank()) {
        filters.put(f, v.strip());
      }
    }
    Optional<String> q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip);
    return new ListParams(path, q.filter(s -> !s.isEmpty()), name, desc, filters, Forms.page(ctx));
  }

  private static boolean isDescFirst(List<Sortable> sortable, String name) {
    return sortable.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .map(Sortable::descendingFirst)
        .orElse(false);
  }

  /**
   * {@code rows} in this sort, for lists the UI orders itself (teams, models: bounded catalogues
   * read whole): the column's value in the sort direction, absent (null) values last either way,
   * then by id ascending, as the stores order users and keys.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <T> List<T> sorted(
      List<T> rows,
      Map<String, java.util.function.Function<T, Comparable<?>>> columns,
      java.util.function.Function<T, String> id) {
    var value = columns.get(sort);
    if (value == null) {
      return rows;
    }
    java.util.Comparator<Comparable> natural =
        descending ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder();
    java.util.Comparator<T> order =
        java.util.Comparator.comparing(
            (T t) -> (Comparable) value.apply(t), java.util.Comparator.nullsLast(natural));
    return rows.stream().sorted(order.thenComparing(id)).toList();
  }

  /** True if there is no search or one of {@code fields} contains it, case-insensitively. */
  boolean matches(String... fields) {
    if (search.isEmpty()) {
      return true;
    }
    String needle = search.get().toLowerCase(java.util.Locale.ROOT);
    for (String f : fields) {
      if (f != null && f.toLowerCase(java.util.Locale.ROOT).contains(needle)) {
        return true;
      }
    }
    return false;
  }

  /** The filter's value, if set. */
  Optional<String> filter(String name) {
    return Optional.ofNullable(filters.get(name));
  }

  /** The search text as typed, for the search box. */
  public String q() {
    return search.orElse("");
  }

  public String dir() {
    return descending ? "desc" : "asc";
  }

  /** The headers for {@code columns} in order: a {@link Sortable} links, a String is plain. */
  List<Column> columns(List<Object> columns) {
    List<Column> out = new ArrayList<>();
    for (Object c : columns) {
      if (c instanceof Sortable s) {
        boolean current = s.name().equals(sort);
        boolean nextDesc = current ? !descending : s.descendingFirst();
        String href = href(s.name(), nextDesc, page);
        String mark = current ? (descending ? " \u25BC" : " \u25B2") : "";
        String aria = current ? (descending ? "descending" : "ascending") : null;
        out.add(new Column(s.label(), href, mark, aria));
      } else {
        out.add(new Column(String.valueOf(c), null, "", null));
      }
    }
    return out;
  }

  /** The link to this list with filters, search and sort kept, for the pager to add a page to. */
  String base() {
    return link(sort, descending, List.of());
  }

  private String href(String sortName, boolean desc, int pageNo) {
    return link(sortName, desc, pageNo > 1 ? List.of("page=" + pageNo) : List.of());
  }

  private String link(String sortName, boolean desc, List<String> extra) {
    List<String> params = new ArrayList<>();
    filters.forEach((k, v) -> params.add(k + "=" + Fmt.q(v)));
    search.ifPresent(s -> params.add("q=" + Fmt.q(s)));
    params.add("sort=" + Fmt.q(sortName));
    params.add("dir=" + (desc ? "desc" : "asc"));
    params.addAll(extra);
    return path + "?" + String.join("&", params);
  }
}
