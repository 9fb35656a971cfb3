package io.llmgateway.server.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A structural HCL reader for the Terraform policy tests: it splits a file into blocks and
 * attributes and keeps every attribute's expression as source text (comments removed), without
 * evaluating anything.
 *
 * <p>Why not an HCL library: hcl4j (the Java HCL parser on Maven Central) evaluates expressions
 * while parsing, and with unresolved variables it turns {@code cond ? a : b} into a constant, a
 * {@code for} expression into {@code []} and unknown function results into {@code null}; policy
 * checks over that would silently pass. Keeping the text is lossless, and the tests assert on it.
 *
 * <p>Handles what Terraform files contain: nested blocks, one-line blocks, quoted strings with
 * escapes and {@code ${...}} templates, heredocs, {@code #}, {@code //} and {@code /* *}{@code /}
 * comments. Comments directly inside a block are kept (the tests read {@code #checkov:skip=}).
 *
 * <p>Immutable results; not thread-safe while parsing (one instance per file).
 */
final class Hcl {

  /** A block such as {@code resource "aws_lb" "this" { ... }}. */
  record Block(String type, List<String> labels, Body body) {
    String label(int i) {
      return labels.get(i);
    }
  }

  /** Attributes (name to expression text, in file order), nested blocks, and own comments. */
  record Body(Map<String, String> attributes, List<Block> blocks, List<String> comments) {
    Optional<String> attribute(String name) {
      return Optional.ofNullable(attributes.get(name));
    }

    List<Block> blocks(String type) {
      return blocks.stream().filter(b -> b.type().equals(type)).toList();
    }
  }

  private final String src;
  private final String origin;
  private int pos;

  private Hcl(String src, String origin) {
    this.src = src;
    this.origin = origin;
  }

  /** Parses a whole file; {@code origin} names it in error messages. */
  static Body parse(String source, String origin) {
    Hcl parser = new Hcl(source, origin);
    Body body = parser.body(false);
    if (parser.pos < parser.src.length()) {
      throw parser.error("unexpected '" + parser.src.charAt(parser.pos) + "'");
    }
    return body;
  }

  private Body body(boolean nested) {
    Map<String, String> attributes = new LinkedHashMap<>();
    List<Block> blocks = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    while (true) {
      skipBlankAndComments(comments);
      if (pos >= src.length()) {
        if (nested) {
          throw error("missing '}'");
        }
        break;
      }
      char c = src.charAt(pos);
      if (c == '}') {
        if (!nested) {
          throw error("unbalanced '}'");
        }
        break;
      }
      if (c == ',') { // object-style separators are tolerated inside one-line blocks
        pos++;
        continue;
      }
      String name = identifierOrString();
      skipInlineSpace();
      if (peek() == '=' && peek(1) != '=') {
        pos++;
        attributes.put(name, expression());
      } else {
        List<String> labels = new ArrayList<>();
        while (peek() != '{') {
          if (pos >= src.length() || peek() == '\n') {
            throw error("expected '{' after block " + name + " " + labels);
          }
          labels.add(identifierOrString());
          skipInlineSpace();
        }
        pos++; // '{'
        Body inner = body(true);
        pos++; // '}'
        blocks.add(new Block(name, List.copyOf(labels), inner));
      }
    }
    return new Body(
        Collections.unmodifiableMap(attributes), List.copyOf(blocks), List.copyOf(comments));
  }

  /** Reads an expression up to the end of its line at nesting depth 0 (or a closing '}'). */
  private String expression() {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (depth == 0 && (c == '\n' || c == '}' || c == ',')) {
        break;
      }
      if (startsComment()) {
        int before = pos;
        skipComment(null);
        if (src.substring(before, pos).startsWith("/*")) {
          out.append(' ');
        }
        continue;
      }
      if (c == '"') {
        out.append(quoted());
        continue;
      }
      if (c == '<' && src.startsWith("<<", pos) && heredocAhead()) {
        out.append(heredoc());
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        if (depth < 0) {
          throw error("unbalanced '" + c + "'");
        }
      }
      out.append(c);
      pos++;
    }
    return out.toString().strip();
  }

  /** A quoted string including its quotes, with templates copied verbatim. */
  private String quoted() {
    int start = pos;
    pos++; // opening quote
    int templateDepth = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (templateDepth == 0 && c == '"') {
        pos++;
        return src.substring(start, pos);
      }
      if (c == '$' && peek(1) == '{') {
        templateDepth++;
        pos += 2;
        continue;
      }
      if (templateDepth > 0 && c == '{') {
        templateDepth++;
      } else if (templateDepth > 0 && c == '}') {
        templateDepth--;
      } else if (templateDepth > 0 && c == '"') {
        // a string inside a template, e.g. "${join(",", var.x)}"
        quoted();
        continue;
      }
      pos++;
    }
    throw error("unterminated string");
  }

  private boolean heredocAhead() {
    int p = pos + 2;
    if (p < src.length() && src.charAt(p) == '-') {
      p++;
    }
    return p < src.length() && Character.isLetter(src.charAt(p));
  }

  private String heredoc() {
    int start = pos;
    pos += 2;
    if (peek() == '-') {
      pos++;
    }
    int markerStart = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || peek() == '_')) {
      pos++;
    }
    String marker = src.substring(markerStart, pos);
    int lineEnd = src.indexOf('\n', pos);
    if (lineEnd < 0) {
      throw error("unterminated heredoc " + marker);
    }
    pos = lineEnd + 1;
    while (pos < src.length()) {
      int eol = src.indexOf('\n', pos);
      String line = src.substring(pos, eol < 0 ? src.length() : eol);
      pos = eol < 0 ? src.length() : eol;
      if (line.strip().equals(marker)) {
        return src.substring(start, pos);
      }
      pos++;
    }
    throw error("unterminated heredoc " + marker);
  }

  private String identifierOrString() {
    if (peek() == '"') {
      String q = quoted();
      return q.substring(1, q.length() - 1);
    }
    int start = pos;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
        pos++;
      } else {
        break;
      }
    }
    if (start == pos) {
      throw error("expected a name");
    }
    return src.substring(start, pos);
  }

  private void skipBlankAndComments(List<String> comments) {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (startsComment()) {
        skipComment(comments);
      } else {
        return;
      }
    }
  }

  private void skipInlineSpace() {
    while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private boolean startsComment() {
    char c = peek();
    return c == '#' || (c == '/' && (peek(1) == '/' || peek(1) == '*'));
  }

  private void skipComment(List<String> sink) {
    int start = pos;
    if (src.startsWith("/*", pos)) {
      int end = src.indexOf("*/", pos + 2);
      if (end < 0) {
        throw error("unterminated comment");
      }
      pos = end + 2;
    } else {
      int end = src.indexOf('\n', pos);
      pos = end < 0 ? src.length() : end;
    }
    if (sink != null) {
      sink.add(src.substring(start, pos).strip());
    }
  }

  private char peek() {
    return peek(0);
  }

  private char peek(int ahead) {
    int p = pos + ahead;
    return p < src.length() ? src.charAt(p) : '\0';
  }

  private IllegalArgumentException error(String message) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, src.length()); i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    return new IllegalArgumentException(origin + ":" + line + ": " + message);
  }
}
