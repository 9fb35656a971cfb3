package io.llmgateway.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link Table} as aligned text, CSV (RFC 4180, every field quoted, defused for
 * spreadsheets) or a JSON array of objects keyed by the header with typed values ({@link Cells}).
 * Stateless and thread-safe.
 */
public final class Renderer {
  // Plain decimals: 2 and 0.000000001, never 2E+0 or 1E-9 (both valid JSON, both surprising).
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private Renderer() {}

  public static void print(Table table, Format format, PrintWriter out) {
    switch (format) {
      case TABLE -> table.print(out);
      case CSV -> out.print(csv(table));
      case JSON -> out.println(json(table));
    }
    out.flush();
  }

  /**
   * RFC 4180 with every field quoted and CRLF line ends, as the server's spend export: a quoted
   * field is text to every spreadsheet, and {@link Cells#csv} has defused formula starts.
   */
  static String csv(Table table) {
    StringBuilder out = new StringBuilder();
    line(out, table.header());
    for (List<Object> row : table.values()) {
      line(out, row.stream().map(Cells::csv).toList());
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(fields.get(i).replace("\"", "\"\"")).append('"');
    }
    out.append("\r\n");
  }

  static String json(Table table) {
    List<Map<String, Object>> objects =
        table.values().stream()
            .map(
                r -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  for (int i = 0; i < r.size(); i++) {
                    m.put(table.header().get(i), Cells.json(r.get(i)));
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
}
