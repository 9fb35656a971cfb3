package io.llmgateway.bedrock.stub;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The text of a Converse request body that Bedrock bills as input tokens, measured in UTF-8 bytes
 * exactly as written in the body (escapes included: U+0001 is written as a 6-byte escape). Every
 * string value counts (system, message text, tool results, tool-call ids and names, tool names and
 * descriptions, the tool choice, stop sequences) except the few paths in {@link #NOT_TEXT}; the
 * JSON values the model reads as JSON (tool input schemas, tool-call inputs) count whole, keys,
 * numbers and punctuation included. Keys and numbers elsewhere (field names, {@code
 * inferenceConfig} numbers) are framing and parameters, not text.
 *
 * <p>Listing what is <em>not</em> billed, rather than what is, makes a field the request writer
 * newly sends count by default: the bound contract (and the stub's usage) see it at once.
 * Thread-safe: each call scans with its own instance.
 */
public final class BillableText {
  /**
   * Paths (object keys from the root, array levels skipped) whose strings are not text: the turn
   * role (framing, covered by the per-message allowance) and an image's format and base64 bytes
   * (covered by the per-image allowance); a cache point's type (a marker, not input: Bedrock bills
   * no tokens for it).
   */
  public static final Set<String> NOT_TEXT =
      Set.of(
          "messages.role",
          "messages.content.image.format",
          "messages.content.image.source.bytes",
          "messages.content.cachePoint.type",
          "system.cachePoint.type",
          "toolConfig.tools.cachePoint.type");

  /** Paths whose whole value is JSON the model reads: every byte of it counts. */
  public static final Set<String> JSON_VALUES =
      Set.of("toolConfig.tools.toolSpec.inputSchema.json", "messages.content.toolUse.input");

  private final byte[] body;
  private int at;

  private BillableText(byte[] body) {
    this.body = body;
  }

  /**
   * Billable bytes of a Converse request body (UTF-8 JSON). Scanned, not parsed: the bytes between
   * a string's quotes are measured as they are, and nothing is decoded (a JSON parser refuses some
   * escapes Jackson writes, such as a high surrogate escaped twice in a field name).
   *
   * @throws IllegalArgumentException if the body is not JSON
   */
  public static long bytes(byte[] body) {
    BillableText scan = new BillableText(body);
    try {
      long n = scan.value("");
      scan.whitespace();
      if (scan.at != body.length) {
        throw new IllegalArgumentException("not a JSON body: trailing bytes");
      }
      return n;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a JSON body: truncated", e);
    }
  }

  private long value(String path) {
    whitespace();
    int start = at;
    if (JSON_VALUES.contains(path)) {
      skip();
      return at - start;
    }
    long n = 0;
    switch (body[at]) {
      case '{' -> {
        at++;
        if (!end('}')) {
          do {
            whitespace();
            int key = at;
            string();
            String name = new String(body, key + 1, at - key - 2, StandardCharsets.ISO_8859_1);
            expect(':');
            n += value(path.isEmpty() ? name : path + "." + name);
          } while (next('}'));
        }
      }
      case '[' -> {
        at++;
        if (!end(']')) {
          do {
            n += value(path);
          } while (next(']'));
        }
      }
      case '"' -> {
        string();
        // Between the quotes, as written.
        n += NOT_TEXT.contains(path) ? 0 : at - start - 2;
      }
      // Numbers, booleans and nulls outside JSON values are parameters, not text.
      default -> scalar();
    }
    return n;
  }

  /** Skips any value. */
  private void skip() {
    whitespace();
    switch (body[at]) {
      case '{' -> {
        at++;
        if (!end('}')) {
          do {
            whitespace();
            string();
            expect(':');
            skip();
          } while (next('}'));
        }
      }
      case '[' -> {
        at++;
        if (!end(']')) {
          do {
            skip();
          } while (next(']'));
        }
      }
      case '"' -> string();
      default -> scalar();
    }
  }

  private void string() {
    if (body[at] != '"') {
      throw new IllegalArgumentException("not a JSON body: string expected at " + at);
    }
    at++;
    while (body[at] != '"') {
      at += body[at] == '\\' ? 2 : 1;
    }
    at++;
  }

  private void scalar() {
    int start = at;
    while (at < body.length && "{}[],: \t\r\n\"".indexOf(body[at]) < 0) {
      at++;
    }
    if (at == start) {
      throw new IllegalArgumentException("not a JSON body: value expected at " + at);
    }
  }

  /** True (and consumed) if the container closes right away. */
  private boolean end(char close) {
    whitespace();
    if (body[at] == close) {
      at++;
      return true;
    }
    return false;
  }

  /** After a member: true if another follows (comma consumed), false at the closing bracket. */
  private boolean next(char close) {
    whitespace();
    if (body[at] == ',') {
      at++;
      return true;
    }
    expect(close);
    return false;
  }

  private void expect(char c) {
    whitespace();
    if (body[at] != c) {
      throw new IllegalArgumentException("not a JSON body: '" + c + "' expected at " + at);
    }
    at++;
  }

  private void whitespace() {
    while (at < body.length
        && (body[at] == ' ' || body[at] == '\t' || body[at] == '\n' || body[at] == '\r')) {
      at++;
    }
  }
}
