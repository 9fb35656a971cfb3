package io.llmgateway.cli.output;

import io.llmgateway.core.spend.SpreadsheetCells;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How one cell value looks in each format. Commands put typed values in a {@link Table} (numbers,
 * {@link Usd}, booleans, lists, null for absent) and each format decides: text for people, quoted
 * and defused text for CSV, typed values for JSON. Stateless.
 */
final class Cells {
  private Cells() {}

  /** For the terminal: '-' for absent, $ for money, lists space-separated. */
  static String text(Object v) {
    return switch (v) {
      case null -> "-";
      case BigDecimal d -> d.toPlainString();
      case Collection<?> c -> c.isEmpty() ? "-" : join(c);
      default -> String.valueOf(v);
    };
  }

  /**
   * For CSV: empty for absent, plain decimals, lists space-separated. Numbers are formatted here
   * (digits, '.', never a formula start); all other text is defused for spreadsheets, as the
   * server's spend export ({@link SpreadsheetCells}).
   */
  static String csv(Object v) {
    return switch (v) {
      case null -> "";
      case Usd u -> u.decimal().toPlainString();
      case BigDecimal d -> d.toPlainString();
      case Long l -> l.toString();
      case Integer i -> i.toString();
      case Collection<?> c -> SpreadsheetCells.defuse(join(c));
      default -> SpreadsheetCells.defuse(String.valueOf(v));
    };
  }

  /** For JSON: numbers stay numbers (money an exact decimal), lists arrays, absent null. */
  static Object json(Object v) {
    return switch (v) {
      case null -> null;
      case Usd u -> u.decimal();
      case Number n -> n;
      case Boolean b -> b;
      case Collection<?> c -> {
        List<Object> items = new ArrayList<>(c.size());
        c.forEach(i -> items.add(json(i)));
        yield items;
      }
      default -> String.valueOf(v);
    };
  }

  private static String join(Collection<?> c) {
    return c.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
