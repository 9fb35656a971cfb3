package io.llmgateway.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.llmgateway.core.spend.SpreadsheetCells;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link Table} as aligned text, CSV (RFC 4180, via Jackson) or a JSON array of objects
 * keyed by the header. Stateless and thread-safe.
 */
public final class Renderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  // Quote only what RFC 4180 requires (comma, quote, line break), so keys read back verbatim.
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

  private Renderer() {}

  public static void print(Table table, Format format, PrintWriter out) {
    switch (format) {
      case TABLE -> table.print(out);
      case CSV -> out.print(csv(table));
      case JSON -> out.println(json(table));
    }
    out.flush();
  }

  static String csv(Table table) {
    CsvSchema.Builder schema = CsvSchema.builder();
    table.header().forEach(schema::addColumn);
    try {
      // Every cell defused for spreadsheets (SpreadsheetCells), as in the UI's export: a formula
      // start after any separator gets a ', so a locale splitting on ';' sees text, not a formula.
      List<List<String>> rows =
          table.rows().stream()
              .map(r -> r.stream().map(SpreadsheetCells::defuse).toList())
              .toList();
      return CSV.writer(schema.build().withHeader()).writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String json(Table table) {
    List<Map<String, Object>> objects =
        table.values().stream()
            .map(
                r -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  for (int i = 0; i < r.size(); i++) {
                    m.put(table.header().get(i), jsonValue(r.get(i)));
                  }
                  return m;
                })
            .toList();
    try {
      return JSON.writeValueAsString(objects);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Numbers and booleans stay JSON numbers and booleans; everything else is its text. */
  private static Object jsonValue(Object v) {
    return v == null || v instanceof Number || v instanceof Boolean ? v : String.valueOf(v);
  }
}
