package io.llmgateway.cli.onboard;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records with the line each starts on, so every message names the line a person sees in
 * an editor: a quoted field may span lines (the record keeps its first line), blank lines are
 * skipped but counted, CRLF and LF both end a line, {@code ""} inside quotes is a quote, spaces
 * around fields are trimmed. An unterminated quote is reported on the line where it opened, not at
 * the end of the file. Not thread-safe: one instance per reader.
 */
final class CsvRecords {
  /** One record: its first line (1-based) and its fields. */
  record Record(int line, List<String> fields) {}

  /** A quote opened on {@code line} is never closed. */
  static final class UnclosedQuote extends Exception {
    final int line;

    UnclosedQuote(int line) {
      super("a quoted field opened on line " + line + " is never closed", null, false, false);
      this.line = line;
    }
  }

  private final Reader in;
  private int line = 1;
  private int pushedBack = -2;

  CsvRecords(Reader in) {
    this.in = in;
  }

  /** The next non-blank record, or null at the end of the input. */
  Record next() throws IOException, UnclosedQuote {
    while (true) {
      int c = read();
      if (c == -1) {
        return null;
      }
      if (c == '\n' || c == '\r') {
        endOfLine(c);
        continue; // a blank line
      }
      unread(c);
      int start = line;
      List<String> fields = record(start);
      if (fields.size() == 1 && fields.get(0).isEmpty()) {
        continue; // only spaces
      }
      return new Record(start, fields);
    }
  }

  private List<String> record(int start) throws IOException, UnclosedQuote {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    while (true) {
      int c = read();
      if (quoted) {
        if (c == -1) {
          throw new UnclosedQuote(start);
        }
        if (c == '"') {
          int n = read();
          if (n == '"') {
            field.append('"');
            continue;
          }
          unread(n);
          quoted = false;
          continue;
        }
        if (c == '\n' || c == '\r') {
          endOfLine(c);
          field.append('\n');
          continue;
        }
        field.append((char) c);
        continue;
      }
      if (c == '"' && field.toString().isBlank()) {
        field.setLength(0);
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString().trim());
        field.setLength(0);
      } else if (c == -1 || c == '\n' || c == '\r') {
        if (c != -1) {
          endOfLine(c);
        }
        fields.add(field.toString().trim());
        return fields;
      } else {
        field.append((char) c);
      }
    }
  }

  /** Counts a line end; CRLF is one. */
  private void endOfLine(int c) throws IOException {
    if (c == '\r') {
      int n = read();
      if (n != '\n') {
        unread(n);
      }
    }
    line++;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    return in.read();
  }

  private void unread(int c) {
    pushedBack = c;
  }
}
