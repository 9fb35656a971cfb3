package io.llmgateway.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of typed cells (text, numbers, {@link Usd}, booleans, lists, null for absent) with a
 * header row; printed as left-aligned columns for terminals, or by {@link Renderer} as CSV or JSON.
 * Not thread-safe: build, then print.
 */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<List<Object>> raw = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, header has " + header.size());
    }
    List<String> r = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Object c : cells) {
      r.add(Cells.text(c));
      values.add(c);
    }
    rows.add(r);
    raw.add(values);
    return this;
  }

  public List<String> header() {
    return header;
  }

  public List<List<String>> rows() {
    return List.copyOf(rows);
  }

  /** The cells as given (numbers stay numbers, for JSON). */
  public List<List<Object>> values() {
    return java.util.Collections.unmodifiableList(raw);
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public void print(PrintWriter out) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    printRow(out, header, width);
    for (List<String> r : rows) {
      printRow(out, r, width);
    }
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      line.append(c);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(width[i] - c.length() + 2));
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
