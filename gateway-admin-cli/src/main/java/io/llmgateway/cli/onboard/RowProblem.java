package io.llmgateway.cli.onboard;

/**
 * Why one line of the onboarding CSV cannot be used; {@code line} is 1-based and counts the header.
 * Immutable and thread-safe.
 */
public record RowProblem(int line, String message) implements Comparable<RowProblem> {
  @Override
  public String toString() {
    return "line " + line + ": " + message;
  }

  @Override
  public int compareTo(RowProblem o) {
    return Integer.compare(line, o.line);
  }
}
